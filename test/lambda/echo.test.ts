import { ConnectionsTable, startConnectionsTable, useTestEnvironmentCredentials } from './dynalite-connections-table';
import { LocalManagementApi, POST_TO_CONNECTION_MAX_BYTES } from './local-management-api';
import { ConnectionsStore } from '../../lambda/connections-store';
import { ECHO_MAX_BYTES, echoMessage, EchoEvent } from '../../lambda/echo/echo-message';
import { LogFields } from '../../lambda/structured-log';
import { DEFAULT_RETRY_POLICY, WebSocketConnections } from '../../runtime';
import { REQUEST_TIMEOUT_MS } from '../../runtime/management-api-client';
import { ConnectionsEnvironment } from '../../src/wire-contract';

const USER_ID = '5f1c1a0e-1111-4222-8333-944455556666';
const NOW_MS = 1_700_000_000_500;
const NOW_S = Math.floor(NOW_MS / 1000);

let table: ConnectionsTable;
let store: ConnectionsStore;
let api: LocalManagementApi;
let connections: WebSocketConnections;
let logged: LogFields[];

beforeAll(async () => {
  table = await startConnectionsTable();
  store = new ConnectionsStore(table.client, table.tableName);
  api = await LocalManagementApi.start('prod');
  // What the echo's index builds, from the variables the construct sets, pointed at the local endpoints.
  useTestEnvironmentCredentials();
  connections = WebSocketConnections.fromEnvironment({ dynamoDb: table.client }, {
    [ConnectionsEnvironment.TABLE_NAME]: table.tableName,
    [ConnectionsEnvironment.CALLBACK_URL]: api.callbackUrl,
  });
});
afterAll(async () => {
  await api.stop();
  await table.stop();
});
beforeEach(() => {
  logged = [];
  api.reset();
});

const deps = () => ({ connections, log: (fields: LogFields) => logged.push(fields), now: () => NOW_MS });

function messageEvent(connectionId: string, body: string | null): EchoEvent {
  return { body, requestContext: { connectionId, routeKey: '$default', authorizer: { userId: USER_ID } } };
}

async function putRow(connectionId: string) {
  await store.putConnection({ connectionId, userId: USER_ID, removedAt: 2_000_000_000 });
}

test('posts {"message": <body>} to the sender, byte for byte, at /<stage>/@connections/<id>', async () => {
  const body = '{"action":"sendmessage","data":"héllo \\"wörld\\" 👋"}';
  const response = await echoMessage(messageEvent('Conn-1=', body), deps());
  expect(response).toEqual({ statusCode: 200, body: '' });
  expect(api.received).toHaveLength(1);
  expect(api.received[0].method).toBe('POST');
  expect(api.received[0].path).toBe('/prod/@connections/Conn-1=');
  expect(api.received[0].body.toString('utf8')).toBe(JSON.stringify({ message: body }));
  // SigV4-signed as API Gateway requires
  expect(api.received[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOCALTEST\/\d{8}\/eu-west-1\/execute-api\/aws4_request/);
  expect(logged).toEqual([{ handler: 'echo', route: '$default', connectionId: 'Conn-1=', userId: USER_ID, outcome: 'delivered' }]);
});

test('a message that is not JSON is echoed as the string it was', async () => {
  await echoMessage(messageEvent('Conn-2=', 'plain text, not JSON'), deps());
  expect(api.received[0].body.toString('utf8')).toBe('{"message":"plain text, not JSON"}');
});

test('410 GoneException deletes the connection\'s row on the first answer', async () => {
  await putRow('Conn-3=');
  await putRow('Conn-3-other=');
  api.answers = [410];
  const response = await echoMessage(messageEvent('Conn-3=', 'hi'), deps());
  expect(response.statusCode).toBe(200);
  expect(api.received).toHaveLength(1);
  expect(await table.getRow('Conn-3=')).toBeUndefined();
  expect(await table.getRow('Conn-3-other=')).toBeDefined();
  expect(logged).toEqual([expect.objectContaining({ outcome: 'gone' })]);
});

test('429 is retried a bounded number of times, then given up, and the row stays', async () => {
  await putRow('Conn-4=');
  api.answers = Array(10).fill(429);
  const response = await echoMessage(messageEvent('Conn-4=', 'hi'), deps());
  expect(response.statusCode).toBe(200);
  expect(api.received).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts);
  // A throttled connection is not a gone one: its row stays
  expect(await table.getRow('Conn-4=')).toBeDefined();
  expect(logged).toEqual([expect.objectContaining({
    outcome: 'failed', attempts: DEFAULT_RETRY_POLICY.maxAttempts, statusCode: 429, reason: 'LimitExceededException (HTTP 429)',
  })]);
});

test('429 then success delivers the message once', async () => {
  api.answers = [429, 429, 200];
  await echoMessage(messageEvent('Conn-5=', 'hi'), deps());
  expect(api.received).toHaveLength(3);
  expect(new Set(api.received.map((post) => post.body.toString('utf8')))).toEqual(new Set(['{"message":"hi"}']));
  expect(logged).toEqual([expect.objectContaining({ outcome: 'delivered' })]);
});

test('a management API that never answers is waited for until the request timeout, then given up', async () => {
  // GIVEN a management API that accepts the post and never answers
  api.answers = ['hang'];
  // WHEN a message is echoed (raced against a bound well past the timeout, so a handler that never gives up fails here)
  const started = performance.now();
  const giveUpBound = REQUEST_TIMEOUT_MS + 2_000;
  let bound: NodeJS.Timeout | undefined;
  const response = await Promise.race([
    echoMessage(messageEvent('Conn-7=', 'hi'), deps()),
    new Promise<'still waiting'>((resolve) => { bound = setTimeout(() => resolve('still waiting'), giveUpBound); }),
  ]).finally(() => clearTimeout(bound));
  const elapsedMs = performance.now() - started;
  // THEN the handler waited for the request timeout (timers never fire early; 20 ms for the clock's granularity)
  expect(elapsedMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 20);
  // AND then gave up: one attempt, not retried, the failure logged by name
  expect(response).toEqual({ statusCode: 200, body: '' });
  expect(api.received).toHaveLength(1);
  expect(logged).toEqual([expect.objectContaining({ outcome: 'failed', attempts: 1, reason: expect.stringMatching(/^TimeoutError: /) })]);
});

describe('a message whose echo would pass 128 KB, the most API Gateway posts to a connection', () => {
  /** `{"message":""}`: what the echo adds around the escaped body. */
  const ENVELOPE_BYTES = 14;
  /** `"` (2 bytes escaped), U+0001 (6: `\u0001`), é (2 in UTF-8), 👋 (4 in UTF-8): 14 bytes of echo a unit. */
  const ESCAPING_UNIT = '"\u0001é👋';
  const ESCAPING_UNIT_BYTES = 14;
  const TOO_LARGE = { error: 'Message too large to echo', maxBytes: 131_072 };

  async function echoOf(connectionId: string, body: string): Promise<string> {
    await echoMessage(messageEvent(connectionId, body), deps());
    expect(api.received).toHaveLength(1);
    return api.received[0].body.toString('utf8');
  }

  test('the limit is the management API\'s: 128 KB', () => {
    expect(ECHO_MAX_BYTES).toBe(POST_TO_CONNECTION_MAX_BYTES);
  });

  test('GIVEN an ASCII body whose echo is exactly 128 KB THEN it is echoed byte for byte', async () => {
    const body = 'a'.repeat(131_072 - ENVELOPE_BYTES);
    const echoed = await echoOf('Big-1=', body);
    expect(Buffer.byteLength(echoed)).toBe(131_072);
    expect(JSON.parse(echoed)).toEqual({ message: body });
  });

  test('GIVEN one byte more THEN the sender hears a short error frame naming the limit, never silence', async () => {
    const echoed = await echoOf('Big-2=', 'a'.repeat(131_072 - ENVELOPE_BYTES + 1));
    expect(JSON.parse(echoed)).toEqual(TOO_LARGE);
    expect(logged).toEqual([expect.objectContaining({ connectionId: 'Big-2=', outcome: 'too-large', echoBytes: 131_073 })]);
  });

  test('GIVEN quotes, control characters and non-ASCII whose escaped echo is exactly 128 KB THEN it is echoed', async () => {
    const units = Math.floor((131_072 - ENVELOPE_BYTES) / ESCAPING_UNIT_BYTES);
    const body = ESCAPING_UNIT.repeat(units) + 'a'.repeat(131_072 - ENVELOPE_BYTES - units * ESCAPING_UNIT_BYTES);
    const echoed = await echoOf('Big-3=', body);
    expect(Buffer.byteLength(echoed)).toBe(131_072);
    expect(JSON.parse(echoed)).toEqual({ message: body });
  });

  test('GIVEN a body of 65,530 quotes (64 KB) whose escaped echo is 131,074 bytes THEN the error frame, not a 413 in the log', async () => {
    const echoed = await echoOf('Big-4=', '"'.repeat(65_530));
    expect(JSON.parse(echoed)).toEqual(TOO_LARGE);
    expect(logged).toEqual([expect.objectContaining({ outcome: 'too-large', echoBytes: 131_074 })]);
  });
});

describe('a connection whose token has expired', () => {
  const withExp = (connectionId: string, exp: number | string): EchoEvent => ({
    body: 'hello', requestContext: { connectionId, routeKey: '$default', authorizer: { userId: USER_ID, exp } },
  });

  test('gets no echo: the connection is closed (DELETE @connections) and its row deleted', async () => {
    // GIVEN a connection whose token expired at this very second
    await putRow('Exp-1=');
    // WHEN it sends a message
    const response = await echoMessage(withExp('Exp-1=', NOW_S), deps());
    // THEN nothing is posted; the connection is closed through the management API, and its row is gone
    expect(response).toEqual({ statusCode: 200, body: '' });
    expect(api.received.map((request) => `${request.method} ${request.path}`)).toEqual(['DELETE /prod/@connections/Exp-1=']);
    expect(await table.getRow('Exp-1=')).toBeUndefined();
    expect(logged).toEqual([{
      handler: 'echo', route: '$default', connectionId: 'Exp-1=', userId: USER_ID, outcome: 'expired', closed: 'closed',
    }]);
  });

  test('a token one second from expiry is still echoed', async () => {
    await echoMessage(withExp('Exp-2=', String(NOW_S + 1)), deps());
    expect(api.received.map((request) => request.method)).toEqual(['POST']);
  });

  test('an expired connection already gone (410) has its row deleted', async () => {
    await putRow('Exp-3=');
    api.answers = [410];
    await echoMessage(withExp('Exp-3=', String(NOW_S - 60)), deps());
    expect(await table.getRow('Exp-3=')).toBeUndefined();
    expect(logged[0]).toMatchObject({ outcome: 'expired', closed: 'gone' });
  });

  test('a close that fails after its retries keeps the row, so the sweeper tries again', async () => {
    await putRow('Exp-4=');
    api.answers = Array(10).fill(500);
    await echoMessage(withExp('Exp-4=', NOW_S - 60), deps());
    expect(api.received.map((request) => request.method)).toEqual(Array(DEFAULT_RETRY_POLICY.maxAttempts).fill('DELETE'));
    expect(await table.getRow('Exp-4=')).toBeDefined();
    expect(logged[0]).toMatchObject({
      outcome: 'expired',
      closed: 'failed',
      statusCode: 500,
      attempts: DEFAULT_RETRY_POLICY.maxAttempts,
      reason: 'InternalServerErrorException (HTTP 500)',
    });
  });

  test('a connection without an expiry in its context (opened before expiries were passed) is echoed', async () => {
    await echoMessage(messageEvent('Exp-5=', 'hi'), deps());
    expect(api.received.map((request) => request.method)).toEqual(['POST']);
  });
});
