import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConnectionsTable, startConnectionsTable, TEST_CREDENTIALS, TEST_REGION, unreachableEndpoint } from './dynalite-connections-table';
import { registerConnection, ConnectEvent } from '../../lambda/connect/register-connection';
import { ConnectionsStore } from '../../lambda/connections-store';
import { unregisterConnection } from '../../lambda/disconnect/unregister-connection';
import { LogFields } from '../../lambda/structured-log';

const USER_ID = '5f1c1a0e-1111-4222-8333-944455556666';
const NOW_MS = 1_700_000_000_987;
const TTL_SECONDS = 3 * 60 * 60;
const TOKEN_EXP = 1_700_003_600;

function connectEvent(connectionId: string, extra: Partial<ConnectEvent> = {}): ConnectEvent {
  return {
    headers: { Host: 'abcdef1234.execute-api.eu-west-1.amazonaws.com' },
    ...extra,
    requestContext: {
      connectionId,
      routeKey: '$connect',
      authorizer: { userId: USER_ID, username: 'alice', groups: 'readers', tokenUse: 'id', exp: TOKEN_EXP },
      ...extra.requestContext,
    },
  };
}

/** A DynamoDB client whose endpoint refuses connections (two attempts, so the SDK's own retry is exercised). */
async function unreachableDynamoDb() {
  return new DynamoDBClient({ endpoint: await unreachableEndpoint(), region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 2 });
}

let table: ConnectionsTable;
let store: ConnectionsStore;
let logged: LogFields[];
const log = (fields: LogFields) => logged.push(fields);

beforeAll(async () => {
  table = await startConnectionsTable();
  store = new ConnectionsStore(table.client, table.tableName);
});
afterAll(async () => table.stop());
beforeEach(() => {
  logged = [];
});

const connectDeps = (overrides: Partial<Parameters<typeof registerConnection>[1]> = {}) => ({
  store, now: () => NOW_MS, ttlSeconds: TTL_SECONDS, tokenSourceKind: 'querystring' as const, log, ...overrides,
});

describe('$connect', () => {
  test('writes the row with the sample\'s attributes, a TTL of connect time + CONNECTION_TTL_SECONDS, and the token\'s expiry', async () => {
    const response = await registerConnection(connectEvent('Conn-A='), connectDeps());
    expect(response).toEqual({ statusCode: 200, body: '' });
    expect(await table.getRow('Conn-A=')).toEqual({
      connectionId: { S: 'Conn-A=' },
      userId: { S: USER_ID },
      removedAt: { N: String(Math.floor(NOW_MS / 1000) + TTL_SECONDS) },
      // the authorizer's exp, and its minute: the key under which the sweeper finds the row
      expiresAt: { N: String(TOKEN_EXP) },
      expiryMinute: { N: String(Math.floor(TOKEN_EXP / 60)) },
    });
    // and the row is reachable by user through the GSI, as sendToUser will reach it
    expect((await table.rowsOfUser(USER_ID)).map((row) => row.connectionId)).toContainEqual({ S: 'Conn-A=' });
    expect(logged).toEqual([{ handler: 'connect', route: '$connect', connectionId: 'Conn-A=', userId: USER_ID, outcome: 'connected' }]);
  });

  test('echoes the application subprotocol, never the token, when the token travels in Sec-WebSocket-Protocol', async () => {
    const token = 'eyJraWQiOiJrIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const response = await registerConnection(
      connectEvent('Conn-B=', { headers: { 'sec-websocket-protocol': `${token}, chat.v1, json` } }),
      connectDeps({ tokenSourceKind: 'subprotocol' }),
    );
    expect(response).toEqual({ statusCode: 200, body: '', headers: { 'Sec-WebSocket-Protocol': 'chat.v1' } });
  });

  test('does not answer a subprotocol when the token travels elsewhere', async () => {
    const response = await registerConnection(
      connectEvent('Conn-C=', { headers: { 'Sec-WebSocket-Protocol': 'chat.v1' } }),
      connectDeps(),
    );
    expect(response.headers).toBeUndefined();
  });

  test('a write DynamoDB rejects answers 500 and leaves no row', async () => {
    // A userId over DynamoDB's 400 KB item limit: the one PutItem fails as a whole
    const event = connectEvent('Conn-D=');
    const hugeUser = { ...event, requestContext: { ...event.requestContext, authorizer: { userId: 'u'.repeat(410 * 1024) } } };
    const response = await registerConnection(hugeUser, connectDeps());
    expect(response.statusCode).toBe(500);
    expect(await table.getRow('Conn-D=')).toBeUndefined();
    expect(logged).toEqual([expect.objectContaining({ outcome: 'error', reason: 'store-write-failed', errorName: 'ValidationException' })]);
  });

  test('DynamoDB unreachable answers 500 and leaves no row', async () => {
    const deadClient = await unreachableDynamoDb();
    const response = await registerConnection(connectEvent('Conn-E='), connectDeps({ store: new ConnectionsStore(deadClient, table.tableName) }));
    deadClient.destroy();
    expect(response.statusCode).toBe(500);
    expect(await table.getRow('Conn-E=')).toBeUndefined();
    expect(logged[0]).toMatchObject({ outcome: 'error', reason: 'store-write-failed' });
  });

  test('a context exp given as a decimal string is stored as the number', async () => {
    const event = connectEvent('Conn-A2=');
    const stringExp = { ...event, requestContext: { ...event.requestContext, authorizer: { userId: USER_ID, exp: String(TOKEN_EXP) } } };
    await registerConnection(stringExp, connectDeps());
    expect((await table.getRow('Conn-A2='))?.expiresAt).toEqual({ N: String(TOKEN_EXP) });
  });

  test('a request without the authorizer\'s userId is refused and writes nothing', async () => {
    const event = connectEvent('Conn-F=');
    const anonymous = { ...event, requestContext: { connectionId: 'Conn-F=', routeKey: '$connect' } };
    expect((await registerConnection(anonymous, connectDeps())).statusCode).toBe(500);
    expect(await table.getRow('Conn-F=')).toBeUndefined();
    expect(logged[0]).toMatchObject({ outcome: 'error', reason: 'authorizer-context-missing' });
  });
});

describe('$connect with maxConnectionsPerUser', () => {
  const limited = (connectionId: string, userId: string, exp = TOKEN_EXP) => {
    const event = connectEvent(connectionId);
    return { ...event, requestContext: { ...event.requestContext, authorizer: { userId, exp } } };
  };

  test('admits up to the limit, then answers 429 and writes nothing', async () => {
    // GIVEN a limit of 2 and a user with no connection
    const deps = connectDeps({ maxConnectionsPerUser: 2 });
    // WHEN the user connects three times
    const first = await registerConnection(limited('Lim-1=', 'user-limit'), deps);
    const second = await registerConnection(limited('Lim-2=', 'user-limit'), deps);
    const third = await registerConnection(limited('Lim-3=', 'user-limit'), deps);
    // THEN the first two are recorded and the third is refused with 429, leaving no row
    expect([first.statusCode, second.statusCode, third.statusCode]).toEqual([200, 200, 429]);
    expect(third.body).toBe('Too many connections');
    expect(await table.getRow('Lim-3=')).toBeUndefined();
    expect(logged[2]).toEqual({
      handler: 'connect', route: '$connect', connectionId: 'Lim-3=', userId: 'user-limit', outcome: 'refused', reason: 'too-many-connections', live: 2,
    });
  });

  test('rows whose token expired do not count, nor do other users\' rows', async () => {
    // GIVEN a limit of 1: one expired row of this user and a live row of another user
    const deps = connectDeps({ maxConnectionsPerUser: 1 });
    await registerConnection(limited('Old-1=', 'user-expired', Math.floor(NOW_MS / 1000) - 1), connectDeps());
    await registerConnection(limited('Other-1=', 'user-other'), connectDeps());
    // WHEN the user connects
    const response = await registerConnection(limited('New-1=', 'user-expired'), deps);
    // THEN the connection is admitted
    expect(response.statusCode).toBe(200);
  });

  test('DynamoDB unreachable while counting answers 500 and writes nothing', async () => {
    const deadClient = await unreachableDynamoDb();
    const response = await registerConnection(limited('Lim-X=', 'user-x'), connectDeps({
      maxConnectionsPerUser: 1, store: new ConnectionsStore(deadClient, table.tableName),
    }));
    deadClient.destroy();
    expect(response.statusCode).toBe(500);
    expect(await table.getRow('Lim-X=')).toBeUndefined();
    expect(logged[0]).toMatchObject({ outcome: 'error', reason: 'store-read-failed' });
  });
});

describe('$disconnect', () => {
  const disconnectEvent = (connectionId: string) => ({
    requestContext: { connectionId, routeKey: '$disconnect', authorizer: { userId: USER_ID } },
  });

  test('removes the row, and a second $disconnect for it still answers 200', async () => {
    await registerConnection(connectEvent('Conn-G='), connectDeps());
    expect(await table.getRow('Conn-G=')).toBeDefined();
    expect(await unregisterConnection(disconnectEvent('Conn-G='), { store, log })).toEqual({ statusCode: 200, body: '' });
    expect(await table.getRow('Conn-G=')).toBeUndefined();
    expect(await unregisterConnection(disconnectEvent('Conn-G='), { store, log })).toEqual({ statusCode: 200, body: '' });
    expect(logged.slice(1)).toEqual([
      { handler: 'disconnect', route: '$disconnect', connectionId: 'Conn-G=', userId: USER_ID, outcome: 'disconnected' },
      { handler: 'disconnect', route: '$disconnect', connectionId: 'Conn-G=', userId: USER_ID, outcome: 'disconnected' },
    ]);
  });

  test('leaves other connections of the same user in place', async () => {
    await registerConnection(connectEvent('Conn-H1='), connectDeps());
    await registerConnection(connectEvent('Conn-H2='), connectDeps());
    await unregisterConnection(disconnectEvent('Conn-H1='), { store, log });
    expect(await table.getRow('Conn-H1=')).toBeUndefined();
    expect(await table.getRow('Conn-H2=')).toBeDefined();
  });

  test('DynamoDB unreachable answers 500 and logs the failure (the row\'s TTL removes it later)', async () => {
    const deadClient = await unreachableDynamoDb();
    const response = await unregisterConnection(disconnectEvent('Conn-I='), { store: new ConnectionsStore(deadClient, table.tableName), log });
    deadClient.destroy();
    expect(response.statusCode).toBe(500);
    expect(logged[0]).toMatchObject({ handler: 'disconnect', outcome: 'error', reason: 'store-delete-failed' });
  });
});
