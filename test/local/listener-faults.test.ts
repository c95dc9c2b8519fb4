import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ApiGatewayManagementApiClient, GetConnectionCommand, GoneException } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CliEndpointsLine, CliProcess, ensureStopped, startCli } from './cli-process';
import { signIn } from './cognito-test-user';
import { synthesizeWebSocketTestApp } from './fixtures/websocket-test-app';
import { firstResponseLine, sendThenReset, upgradeRequest } from './raw-socket-client';
import { nextMessage, open } from './websocket-test-client';
import { eventually } from '../eventually';

// Every listener of the runtime (DynamoDB, the web server and identity endpoint, each gateway's @connections API and
// its WebSocket upgrades) meets clients that abort mid-request or send what no library would; the runtime is the
// shipped bin in a child process, so a listener that ends the process is seen as exactly that.
const cli = path.join(__dirname, '..', '..', 'assets', 'local', 'cli.js');
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
/** Each hostile request is sent this many times: a crash that needs the server to have read part of it gets its chance. */
const ATTEMPTS = 3;

describe('the local runtime after a request to one of its listeners fails', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'local-listener-faults-'));
  let running: CliProcess;
  let endpoints: CliEndpointsLine;
  const portOf = (url: string) => Number(new URL(url).port);

  beforeAll(async () => {
    synthesizeWebSocketTestApp(assembly);
    running = startCli(process.execPath, [cli, 'local', '--app', assembly, '--port', '0', '--json']);
    endpoints = JSON.parse(await running.firstLine);
  });
  afterAll(async () => {
    if (running) await ensureStopped(running);
    rmSync(assembly, { recursive: true, force: true });
  });

  /** The process is alive and every listener answers a well-formed request as it should. */
  async function expectEveryListenerServes(): Promise<void> {
    const dynamo = new DynamoDBClient({ region: endpoints.region, endpoint: endpoints.dynamoDbEndpoint, credentials });
    const management = new ApiGatewayManagementApiClient({ region: endpoints.region, endpoint: endpoints.callbackUrl, credentials });
    try {
      expect((await dynamo.send(new ListTablesCommand({}))).TableNames).toHaveLength(1);
      expect((await fetch(new URL('config.json', endpoints.webUrl))).status).toBe(200);
      const idToken = await signIn(endpoints, endpoints.demoUser.username, endpoints.demoUser.password);
      const socket = await open(`${endpoints.websocketUrl}?idToken=${idToken}`);
      const reply = nextMessage(socket);
      socket.send('still serving');
      expect(JSON.parse(await reply)).toEqual({ message: 'still serving' });
      socket.close();
      await expect(management.send(new GetConnectionCommand({ ConnectionId: 'nobody' }))).rejects.toBeInstanceOf(GoneException);
    } finally {
      dynamo.destroy();
      management.destroy();
    }
    expect(running.child.exitCode).toBeNull();
  }

  test('an aborted POST to the embedded DynamoDB (a partial body, then a reset) leaves the runtime serving', async () => {
    // GIVEN DynamoDB's port
    const port = portOf(endpoints.dynamoDbEndpoint);
    // WHEN a client promises a body, sends part of it, and resets the connection
    for (let i = 0; i < ATTEMPTS; i++) {
      await sendThenReset(port, `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-amz-json-1.0\r\n` +
        'X-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: 1000\r\n\r\n{"Lim');
    }
    // AND sends a request target no client would
    expect(await firstResponseLine(port, `GET // HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 \d{3} /);
    // THEN the process is alive and every listener serves
    await expectEveryListenerServes();
  });

  test('aborted and malformed requests to the web server and identity endpoint leave the runtime serving', async () => {
    const port = portOf(endpoints.webUrl);
    for (let i = 0; i < ATTEMPTS; i++) {
      await sendThenReset(port, `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-amz-json-1.1\r\n` +
        'X-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth\r\nContent-Length: 1000\r\n\r\n{"AuthFlow":');
    }
    // THEN each malformed request is refused with a 4xx, never a dropped connection or a dead process
    for (const target of ['//', '/%E0%A4%A', '//.well-known/jwks.json', '/%ZZ/.well-known/jwks.json', '/..%2F..%2Fpackage.json']) {
      expect(await firstResponseLine(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 4\d\d /);
    }
    await expectEveryListenerServes();
  });

  test('aborted and malformed requests to the @connections API leave the runtime serving', async () => {
    const port = portOf(endpoints.callbackUrl);
    const stage = new URL(endpoints.callbackUrl).pathname;
    for (let i = 0; i < ATTEMPTS; i++) {
      await sendThenReset(port, `POST ${stage}/@connections/abc HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 1000\r\n\r\n{"mess`);
    }
    for (const target of ['//', `${stage}/@connections/%E0%A4%A`]) {
      expect(await firstResponseLine(port, `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 0\r\n\r\n`)).toMatch(/^HTTP\/1\.1 4\d\d /);
    }
    await expectEveryListenerServes();
  });

  test('aborted and malformed WebSocket upgrades leave the runtime serving', async () => {
    const port = portOf(endpoints.websocketUrl);
    const idToken = await signIn(endpoints, endpoints.demoUser.username, endpoints.demoUser.password);
    const complete = upgradeRequest(`${endpoints.websocketUrl}?idToken=${idToken}`);
    for (let i = 0; i < ATTEMPTS; i++) {
      // cut off in the headers, and reset while the authorizer and $connect run
      await sendThenReset(port, complete.slice(0, complete.length / 2));
      await sendThenReset(port, complete, 0);
    }
    const malformed = [
      upgradeRequest(`ws://127.0.0.1:${port}//`),
      upgradeRequest(`${endpoints.websocketUrl}?idToken=%E0%A4%A`),
      complete.replace(/Sec-WebSocket-Key: .*\r\n/, 'Sec-WebSocket-Key: short\r\n'),
    ];
    for (const request of malformed) expect(await firstResponseLine(port, request)).toMatch(/^HTTP\/1\.1 4\d\d /);
    // AND no refused or abandoned handshake left a row that looks like a live connection
    const dynamo = new DynamoDBClient({ region: endpoints.region, endpoint: endpoints.dynamoDbEndpoint, credentials });
    try {
      const countRows = async () => (await dynamo.send(new ScanCommand({ TableName: Object.values(endpoints.tables)[0], Select: 'COUNT' }))).Count;
      expect(await eventually('every row of an abandoned handshake to be deleted', countRows, (rows) => rows === 0)).toBe(0);
    } finally {
      dynamo.destroy();
    }
    await expectEveryListenerServes();
  });
});
