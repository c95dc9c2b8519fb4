import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { DynamoDBClient, ScanCommand, ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { signIn } from './cognito-test-user';
import { synthesizeWebSocketTestApp } from './fixtures/websocket-test-app';
import { closed, open } from './websocket-test-client';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';
import { eventually } from '../eventually';

// The load the local runtime must hold: 1,000 concurrent authenticated connections, each with its row in the
// connections table, 10 messages each, every message echoed exactly once, and no row left after they all close.
// Loopback only, bounded in count; the assertions are on outcomes, not on time.
const CONNECTIONS = 1000;
const MESSAGES_PER_CONNECTION = 10;
/** How long the last $disconnect may take to delete its row once every client has closed. */
const ROWS_GONE_DEADLINE_MS = 60_000;

describe('the local runtime under load', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'local-load-test-'));
  let runtime: LocalRuntime;
  let dynamo: DynamoDBClient;
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

  beforeAll(async () => {
    synthesizeWebSocketTestApp(assembly);
    runtime = await startLocalRuntime({ cloudAssembly: assembly, onHandlerLog: () => undefined });
    dynamo = new DynamoDBClient({ region: runtime.region, endpoint: runtime.dynamoDbEndpoint, credentials });
  });

  /** The rows of the connections table, counted with a strongly consistent scan over every page. */
  async function countRows(): Promise<number> {
    let count = 0;
    let startKey: ScanCommandOutput['LastEvaluatedKey'];
    do {
      const page = await dynamo.send(new ScanCommand({
        TableName: Object.values(runtime.tableNames)[0], Select: 'COUNT', ConsistentRead: true, ExclusiveStartKey: startKey,
      }));
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
  }
  afterAll(async () => {
    dynamo?.destroy();
    await runtime?.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  test(`${CONNECTIONS} connections x ${MESSAGES_PER_CONNECTION} messages: each echoed exactly once, no row left`, async () => {
    // GIVEN the demo user's token
    const token = await signIn(runtime, runtime.demoUser!.username, runtime.demoUser!.password);

    // WHEN every connection opens at once, and each sends its messages at once
    const sockets = await Promise.all(Array.from({ length: CONNECTIONS }, () => open(`${runtime.websocketUrl}?idToken=${token}`)));
    // THEN each open connection has its row: $connect writes it before the handshake completes
    expect(await countRows()).toBe(CONNECTIONS);
    const received = new Map<string, number>();
    const misdelivered: string[] = [];
    await Promise.all(sockets.map((socket, i) => new Promise<void>((resolve) => {
      let count = 0;
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString()).message as string;
        if (!message.startsWith(`${i}-`)) misdelivered.push(message);
        received.set(message, (received.get(message) ?? 0) + 1);
        if (++count === MESSAGES_PER_CONNECTION) resolve();
      });
      for (let j = 0; j < MESSAGES_PER_CONNECTION; j++) socket.send(`${i}-${j}`);
    })));
    await Promise.all(sockets.map((socket) => {
      const socketClosed = closed(socket);
      socket.close();
      return socketClosed;
    }));

    // THEN every message came back once, to its sender
    expect(received.size).toBe(CONNECTIONS * MESSAGES_PER_CONNECTION);
    expect([...received.values()].every((count) => count === 1)).toBe(true);
    expect(misdelivered).toEqual([]);
    // AND once every $disconnect has run, no row is left
    expect(await eventually('every row to be deleted by $disconnect', countRows, (rows) => rows === 0, ROWS_GONE_DEADLINE_MS)).toBe(0);
  }, 300_000);
});
