import { ConnectionsTable, startConnectionsTable, TEST_CREDENTIALS, TEST_REGION } from './dynalite-connections-table';
import { ResponseDroppingProxy } from './response-dropping-proxy';
import { registerConnection } from '../../lambda/connect/register-connection';
import { ConnectionsStore } from '../../lambda/connections-store';
import { createDynamoDbClient, DYNAMODB_MAX_ATTEMPTS, DYNAMODB_REQUEST_TIMEOUT_MS } from '../../lambda/dynamodb-client';
import { LogFields } from '../../lambda/structured-log';

/**
 * A $connect whose PutItem reached DynamoDB but whose answer was lost must not leave a row that looks like a live
 * connection for hours: the handlers' production DynamoDB client gives up within its request timeout, and the
 * connect handler deletes the row before refusing. DynamoDB is dynalite behind a real TCP proxy that drops responses.
 */

let table: ConnectionsTable;
let proxy: ResponseDroppingProxy;

beforeAll(async () => {
  table = await startConnectionsTable();
  proxy = await ResponseDroppingProxy.start(table.endpoint);
});
afterAll(async () => {
  await proxy.stop();
  await table.stop();
});

test('the handlers\' DynamoDB client gives up well inside the 10 s function timeout, a put and a delete together', () => {
  expect(2 * DYNAMODB_MAX_ATTEMPTS * DYNAMODB_REQUEST_TIMEOUT_MS).toBeLessThan(10_000);
});

test('GIVEN a PutItem whose response is lost WHEN a user connects THEN the connection is refused (500) and no row remains', async () => {
  const client = createDynamoDbClient({ endpoint: proxy.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  const logged: LogFields[] = [];
  try {
    const started = performance.now();
    const response = await registerConnection({
      requestContext: { connectionId: 'Lost-1=', routeKey: '$connect', authorizer: { userId: 'user-1' } },
    }, {
      store: new ConnectionsStore(client, table.tableName),
      now: Date.now,
      ttlSeconds: 3 * 60 * 60,
      tokenSourceKind: 'querystring',
      log: (fields) => logged.push(fields),
    });
    expect(response.statusCode).toBe(500);
    expect(proxy.connections).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(await table.getRow('Lost-1=')).toBeUndefined();
    expect(logged).toEqual([expect.objectContaining({ connectionId: 'Lost-1=', outcome: 'error', reason: 'store-write-failed' })]);
  } finally {
    client.destroy();
  }
});
