import { ConnectionsTable, startConnectionsTable, useTestEnvironmentCredentials } from './dynalite-connections-table';
import { LocalManagementApi } from './local-management-api';
import { ConnectionsStore } from '../../lambda/connections-store';
import { LogFields } from '../../lambda/structured-log';
import { closeExpiredConnections } from '../../lambda/sweeper/close-expired-connections';
import { DEFAULT_RETRY_POLICY, WebSocketConnections } from '../../runtime';

// 12:00:30 in some minute: the current minute is half over.
const NOW_S = 1_700_000_000 - (1_700_000_000 % 60) + 30;
const WINDOW_MINUTES = 15;

let table: ConnectionsTable;
let store: ConnectionsStore;
let api: LocalManagementApi;
let connections: WebSocketConnections;
let logged: LogFields[];

beforeAll(async () => {
  api = await LocalManagementApi.start('prod');
  useTestEnvironmentCredentials();
});
afterAll(async () => {
  await api.stop();
});
beforeEach(async () => {
  // A fresh table per test: the sweep reads whole minutes, so no test may see another's rows.
  table = await startConnectionsTable();
  store = new ConnectionsStore(table.client, table.tableName);
  // What the sweeper's index builds, pointed at the local endpoints.
  connections = new WebSocketConnections({ tableName: table.tableName, callbackUrl: api.callbackUrl, dynamoDb: table.client });
  logged = [];
  api.received.length = 0;
  api.answers = [];
});
afterEach(async () => table.stop());

const sweep = (nowSeconds = NOW_S) => closeExpiredConnections({
  connections, store, now: () => nowSeconds * 1000, windowMinutes: WINDOW_MINUTES, concurrency: 4, log: (fields) => logged.push(fields),
});

const putRow = (connectionId: string, expiresAt: number | undefined) =>
  store.putConnection({ connectionId, userId: 'user-1', removedAt: NOW_S + 3 * 3600, expiresAt });

const closedIds = () => api.received.filter((request) => request.method === 'DELETE').map((request) => request.path.split('/').pop()).sort();

test('closes every connection whose token expired in the window, deletes its row, and leaves the others', async () => {
  // GIVEN rows expired this minute, a minute ago, and 10 minutes ago (a run that failed); one expiring later this
  // minute, one next minute, one beyond the window, and one written without an expiry
  await putRow('now-expired=', NOW_S - 10);
  await putRow('exactly-now=', NOW_S);
  await putRow('minute-ago=', NOW_S - 60);
  await putRow('missed-run=', NOW_S - 10 * 60);
  await putRow('later-this-minute=', NOW_S + 20);
  await putRow('next-minute=', NOW_S + 60);
  await putRow('beyond-window=', NOW_S - (WINDOW_MINUTES + 2) * 60);
  await putRow('no-expiry=', undefined);
  // WHEN the sweeper runs
  const summary = await sweep();
  // THEN exactly the expired rows of the window are closed through the management API and deleted
  expect(closedIds()).toEqual(['exactly-now=', 'minute-ago=', 'missed-run=', 'now-expired=']);
  expect(api.received.every((request) => request.path.startsWith('/prod/@connections/'))).toBe(true);
  for (const id of ['now-expired=', 'exactly-now=', 'minute-ago=', 'missed-run=']) {
    expect(await table.getRow(id)).toBeUndefined();
  }
  for (const id of ['later-this-minute=', 'next-minute=', 'beyond-window=', 'no-expiry=']) {
    expect(await table.getRow(id)).toBeDefined();
  }
  expect(summary).toEqual({ minutes: WINDOW_MINUTES + 1, closed: 4, gone: 0, failed: 0, notYetExpired: 1 });
  expect(logged).toEqual([{ handler: 'sweeper', outcome: 'swept', ...summary }]);
});

test('a connection already gone (410) has its row deleted', async () => {
  await putRow('gone=', NOW_S - 5);
  api.answers = [410];
  const summary = await sweep();
  expect(summary).toMatchObject({ closed: 0, gone: 1, failed: 0 });
  expect(await table.getRow('gone=')).toBeUndefined();
});

test('a close that fails after its retries keeps the row, and the next run closes it', async () => {
  // GIVEN a management API that fails every attempt of one run
  await putRow('flaky=', NOW_S - 5);
  api.answers = Array(DEFAULT_RETRY_POLICY.maxAttempts).fill(500);
  // WHEN the sweeper runs, then runs again a minute later
  const first = await sweep();
  const rowAfterFirst = await table.getRow('flaky=');
  const second = await sweep(NOW_S + 60);
  // THEN the first run reports the failure and keeps the row; the second closes it
  expect(first).toMatchObject({ closed: 0, failed: 1 });
  expect(logged[0]).toEqual({
    handler: 'sweeper',
    connectionId: 'flaky=',
    outcome: 'close-failed',
    reason: 'InternalServerErrorException (HTTP 500)',
    statusCode: 500,
    attempts: DEFAULT_RETRY_POLICY.maxAttempts,
  });
  expect(logged[1]).toMatchObject({ handler: 'sweeper', outcome: 'partial', failed: 1 });
  expect(rowAfterFirst).toBeDefined();
  expect(second).toMatchObject({ closed: 1, failed: 0 });
  expect(await table.getRow('flaky=')).toBeUndefined();
});

test('a row expiring later in the current minute is closed by the run after it expires', async () => {
  await putRow('soon=', NOW_S + 20);
  expect(await sweep()).toMatchObject({ closed: 0, notYetExpired: 1 });
  expect(await sweep(NOW_S + 60)).toMatchObject({ closed: 1, notYetExpired: 0 });
  expect(closedIds()).toEqual(['soon=']);
});

test('hundreds of expired connections in one minute are all closed, each once', async () => {
  const ids = Array.from({ length: 300 }, (_, i) => `bulk-${String(i).padStart(3, '0')}=`);
  await Promise.all(ids.map((id) => putRow(id, NOW_S - 1)));
  const summary = await sweep();
  expect(summary).toMatchObject({ closed: 300, failed: 0 });
  expect(closedIds()).toEqual(ids);
});
