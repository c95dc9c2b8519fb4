import { mkdtempSync, rmSync } from 'fs';
import { createConnection } from 'net';
import { availableParallelism, tmpdir } from 'os';
import * as path from 'path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { signIn } from './cognito-test-user';
import { synthesizeWebSocketTestApp } from './fixtures/websocket-test-app';
import { handlerLogEntries } from './handler-log-entries';
import { childPids } from './process-liveness';
import { nextMessage, open } from './websocket-test-client';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';
import { eventually } from '../eventually';

// Clients that leave in the middle of the WebSocket handshake, many times over: half leave as soon as their upgrade
// request is sent (while the authorizer and $connect run for them), half before their request is even complete.
// Loopback only, bounded in count, a few at a time.
const DROPS = 2_000;
/** Every other client sends its whole request, which the authorizer and $connect then handle. */
const COMPLETE_REQUESTS = DROPS / 2;
const AT_ONCE = 50;
/** How long the last $disconnect may take once every client has gone. */
const SETTLED_DEADLINE_MS = 120_000;
/** The handlers of the test app; the runner keeps at most one process per core for each. */
const FUNCTIONS = 5;

describe('the local runtime with clients that drop mid-handshake', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'local-drops-test-'));
  const handlerLogs: string[] = [];
  let runtime: LocalRuntime;
  let dynamo: DynamoDBClient;

  beforeAll(async () => {
    synthesizeWebSocketTestApp(assembly);
    runtime = await startLocalRuntime({ cloudAssembly: assembly, onHandlerLog: (name, line) => handlerLogs.push(`${name} ${line}`) });
    dynamo = new DynamoDBClient({ region: runtime.region, endpoint: runtime.dynamoDbEndpoint, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  });
  afterAll(async () => {
    dynamo?.destroy();
    await runtime?.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  const countRows = async () => (await dynamo.send(new ScanCommand({
    TableName: Object.values(runtime.tableNames)[0], Select: 'COUNT', ConsistentRead: true,
  }))).Count ?? 0;
  /** Connection ids whose connect or disconnect handler logged this outcome. */
  const loggedIds = (handler: string, outcome: string) => new Set(handlerLogEntries(handlerLogs)
    .filter((entry) => entry.handler === handler && entry.outcome === outcome)
    .map((entry) => String(entry.connectionId)));

  test(`${DROPS} clients drop mid-handshake: every admitted connection gets its $disconnect, no row, connection or worker is left, and the gateway still serves`, async () => {
    // GIVEN the demo user's valid token, so each complete request is authorized and runs $connect
    const token = await signIn(runtime, runtime.demoUser!.username, runtime.demoUser!.password);
    const { pathname, port } = new URL(runtime.websocketUrl);
    const request = `GET ${pathname}?idToken=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';

    // WHEN the clients connect and leave, AT_ONCE at a time
    for (let sent = 0; sent < DROPS; sent += AT_ONCE) {
      await Promise.all(Array.from({ length: AT_ONCE }, (_unused, i) =>
        dropMidHandshake(Number(port), (sent + i) % 2 === 0 ? request : request.slice(0, request.length / 2))));
    }

    // THEN each complete request was authorized and ran $connect (a request cut in half never reaches the
    // authorizer), each of those connections had its $disconnect although its client was gone, and no row is left
    const settled = await eventually(`${COMPLETE_REQUESTS} connections admitted, each disconnected, no row left`, async () => ({
      authorized: loggedIds('authorizer', 'allow').size,
      connected: loggedIds('connect', 'connected'),
      disconnected: loggedIds('disconnect', 'disconnected'),
      rows: await countRows(),
    }), ({ authorized, connected, disconnected, rows }) =>
      authorized === COMPLETE_REQUESTS && connected.size === COMPLETE_REQUESTS && disconnected.size === COMPLETE_REQUESTS && rows === 0,
    SETTLED_DEADLINE_MS);
    expect([...settled.connected].filter((id) => !settled.disconnected.has(id))).toEqual([]);
    // AND the function runner kept to its bound: no worker leaked per dropped client
    expect(childPids(process.pid).length).toBeLessThanOrEqual(FUNCTIONS * availableParallelism());

    // AND the gateway still serves: a client connects, is echoed, and leaves no row behind
    const socket = await open(`${runtime.websocketUrl}?idToken=${token}`);
    const reply = nextMessage(socket);
    socket.send('still serving');
    expect(JSON.parse(await reply)).toEqual({ message: 'still serving' });
    expect(await countRows()).toBe(1);
    socket.close();
    expect(await eventually('the last row to be deleted', countRows, (rows) => rows === 0)).toBe(0);
  }, 300_000);
});

/** Writes (part of) an upgrade request, then destroys the socket without waiting for an answer. */
function dropMidHandshake(port: number, request: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1', () => {
      socket.write(request, () => socket.destroy());
    });
    socket.once('close', () => resolve());
    socket.once('error', () => resolve());
  });
}
