import { Agent } from 'node:http';
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DYNAMODB_INTERNAL_ERROR, FaultInjectingProxy } from './fault-injecting-proxy';
import {
  BroadcastIncompleteError, DEFAULT_RETRY_POLICY, MAX_MESSAGE_BYTES, MessageTooLargeError, WebSocketConnections, WebSocketConnectionsOptions,
} from '../../runtime';
import { ConnectionsTable, startConnectionsTable, TEST_CREDENTIALS, TEST_REGION, unreachableEndpoint, useTestEnvironmentCredentials } from '../lambda/dynalite-connections-table';
import { LocalManagementApi } from '../lambda/local-management-api';

/**
 * The runtime API against a real DynamoDB engine (dynalite, with the construct's table) and a real HTTP server in the
 * @connections API's wire format that answers as the test scripts it (200, 410, 413, 429, 500, or never).
 */

const ALICE = 'sub-alice';
const BOB = 'sub-bob';

let table: ConnectionsTable;
let api: LocalManagementApi;

beforeAll(async () => {
  table = await startConnectionsTable();
  api = await LocalManagementApi.start('prod');
  useTestEnvironmentCredentials();
});
afterAll(async () => {
  await api.stop();
  await table.stop();
});
beforeEach(async () => {
  api.reset();
  await table.clear();
});

function connections(options: Partial<WebSocketConnectionsOptions> = {}): WebSocketConnections {
  return new WebSocketConnections({ tableName: table.tableName, callbackUrl: api.callbackUrl, dynamoDb: table.client, ...options });
}

/** Rows as $connect writes them; `padBytes` makes each row large, so that a query or scan needs several pages. */
async function seed(userId: string, count: number, padBytes = 0): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${userId}-conn-${i}=`);
  for (let start = 0; start < ids.length; start += 25) {
    await table.client.send(new BatchWriteItemCommand({
      RequestItems: {
        [table.tableName]: ids.slice(start, start + 25).map((connectionId) => ({
          PutRequest: {
            Item: {
              connectionId: { S: connectionId },
              userId: { S: userId },
              removedAt: { N: '2000000000' },
              ...(padBytes > 0 ? { pad: { S: 'x'.repeat(padBytes) } } : {}),
            },
          },
        })),
      },
    }));
  }
  return ids;
}

/** A DynamoDB client for an endpoint nobody listens on, that tries once. */
async function unreachableDynamoDb(): Promise<DynamoDBClient> {
  return new DynamoDBClient({ endpoint: await unreachableEndpoint(), region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
}

const postsTo = (connectionId: string) => api.received.filter((request) => request.method === 'POST' && request.connectionId === connectionId);

describe('sendToUser', () => {
  test('posts the message once to every connection of the user, reading every page of the index, and to no one else', async () => {
    // GIVEN 60 connections of Alice in rows large enough to span two pages of the index, and one of Bob
    const aliceIds = await seed(ALICE, 60, 30_000);
    await seed(BOB, 1);
    // WHEN a JSON value is sent to Alice
    const result = await connections().sendToUser(ALICE, { text: 'hi', n: 1 });
    // THEN each of her connections got it exactly once, as JSON text, and Bob got nothing
    expect(result.delivered.sort()).toEqual([...aliceIds].sort());
    expect(result).toMatchObject({ gone: [], failed: [] });
    for (const id of aliceIds) {
      expect(postsTo(id).map((post) => post.body.toString('utf8'))).toEqual(['{"text":"hi","n":1}']);
    }
    expect(api.received).toHaveLength(60);
  });

  test('a user without connections gets nothing, and the result says so', async () => {
    expect(await connections().sendToUser('sub-nobody', 'hello')).toEqual({ delivered: [], gone: [], failed: [] });
    expect(api.received).toEqual([]);
  });

  test('one gone connection is reported gone and its row deleted; the others are delivered', async () => {
    const [stale, ...live] = await seed(ALICE, 3);
    api.answersByConnection.set(stale, [410]);
    const result = await connections().sendToUser(ALICE, 'hello');
    expect(result.gone).toEqual([stale]);
    expect(result.delivered.sort()).toEqual(live.sort());
    expect(await table.getRow(stale)).toBeUndefined();
    for (const id of live) expect(await table.getRow(id)).toBeDefined();
  });

  test('throttling twice then success delivers once; a persistent 500 fails after the bounded retries; a 413 is not retried', async () => {
    const [throttled, broken, tooLarge, fine] = await seed(ALICE, 4);
    api.answersByConnection.set(throttled, [429, 429]);
    api.answersByConnection.set(broken, Array(10).fill(500));
    api.answersByConnection.set(tooLarge, [413]);
    const result = await connections({ retry: { baseDelayMs: 1 } }).sendToUser(ALICE, 'hello');
    expect(result.delivered.sort()).toEqual([throttled, fine].sort());
    expect(result.gone).toEqual([]);
    expect(result.failed.sort((a, b) => a.connectionId.localeCompare(b.connectionId))).toEqual([
      { connectionId: broken, reason: 'InternalServerErrorException (HTTP 500)', statusCode: 500, attempts: DEFAULT_RETRY_POLICY.maxAttempts },
      { connectionId: tooLarge, reason: 'PayloadTooLargeException (HTTP 413)', statusCode: 413, attempts: 1 },
    ].sort((a, b) => a.connectionId.localeCompare(b.connectionId)));
    expect(postsTo(throttled)).toHaveLength(3);
    expect(postsTo(broken)).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts);
    expect(postsTo(tooLarge)).toHaveLength(1);
    // A failed connection is not a gone one: its row stays
    expect(await table.getRow(broken)).toBeDefined();
  });

  test('a message over 128 KB is refused before any request: no query, no post', async () => {
    // GIVEN a DynamoDB endpoint nobody listens on: a query would fail with a network error, not the size error
    const unreachable = await unreachableDynamoDb();
    try {
      await expect(connections({ dynamoDb: unreachable }).sendToUser(ALICE, 'x'.repeat(MAX_MESSAGE_BYTES + 1))).rejects.toThrow(MessageTooLargeError);
    } finally {
      unreachable.destroy();
    }
    expect(api.received).toEqual([]);
  });

  test('at most `concurrency` posts are in flight, over at most that many kept-alive sockets', async () => {
    // GIVEN 200 connections and a management API that takes 5 ms to answer each post
    await seed(ALICE, 200);
    api.delayMs = 5;
    // WHEN one instance sends twice with a concurrency of 8
    const sender = connections({ concurrency: 8 });
    await sender.sendToUser(ALICE, 'one');
    await sender.sendToUser(ALICE, 'two');
    // THEN requests overlapped up to the bound and never beyond, on no more sockets than that, reused across calls
    expect(api.received).toHaveLength(400);
    expect(api.maxInFlight).toBe(8);
    expect(new Set(api.received.map((request) => request.remotePort)).size).toBeLessThanOrEqual(8);
  });

  test('the bound holds with a client of the caller\'s whose sockets would allow more', async () => {
    await seed(ALICE, 100);
    api.delayMs = 5;
    const managementApi = new ApiGatewayManagementApiClient({
      endpoint: api.callbackUrl, maxAttempts: 1, requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 1000 }) },
    });
    try {
      await connections({ managementApi, concurrency: 8 }).sendToUser(ALICE, 'one');
    } finally {
      managementApi.destroy();
    }
    expect(api.received).toHaveLength(100);
    expect(api.maxInFlight).toBe(8);
  });

  test('a DynamoDB that cannot be read fails the call before any post', async () => {
    const unreachable = await unreachableDynamoDb();
    try {
      await expect(connections({ dynamoDb: unreachable }).sendToUser(ALICE, 'hello')).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      unreachable.destroy();
    }
    expect(api.received).toEqual([]);
  });
});

describe('sendToConnection and sendToConnections', () => {
  test('a management API that refuses connections is retried, then reported with the network error\'s code', async () => {
    const refused = connections({ callbackUrl: `${await unreachableEndpoint()}/prod`, retry: { baseDelayMs: 1 } });
    expect(await refused.sendToConnection('a=', 'hello')).toEqual({
      delivered: [], gone: [], failed: [{ connectionId: 'a=', reason: 'Error (ECONNREFUSED)', attempts: DEFAULT_RETRY_POLICY.maxAttempts }],
    });
  });

  test('a post unanswered for requestTimeoutMs is given up, once, and reported with the client\'s timeout', async () => {
    // GIVEN a management API that never answers, and a sender that waits 300 ms for an answer
    api.answers = ['hang'];
    // WHEN it sends to one connection
    const result = await connections({ requestTimeoutMs: 300 }).sendToConnection('slow=', 'hello');
    // THEN it gave up after its own timeout, not the 3 s default, without a retry
    expect(result).toEqual({
      delivered: [], gone: [], failed: [{ connectionId: 'slow=', reason: expect.stringMatching(/^TimeoutError: .*300 ms/), attempts: 1 }],
    });
    expect(postsTo('slow=')).toHaveLength(1);
  });

  test('post the bytes given, once per distinct connection id', async () => {
    const bytes = Buffer.from('raw bytes');
    const result = await connections().sendToConnections(['a=', 'b=', 'a='], bytes);
    expect(result.delivered.sort()).toEqual(['a=', 'b=']);
    expect(api.received.map((request) => request.body.toString('utf8'))).toEqual(['raw bytes', 'raw bytes']);
    expect(await connections().sendToConnection('c=', 'text')).toEqual({ delivered: ['c='], gone: [], failed: [] });
  });
});

describe('broadcast', () => {
  test('posts once to every connection of the table, over a parallel scan of several pages per segment', async () => {
    const ids = [...await seed(ALICE, 50, 30_000), ...await seed(BOB, 40, 30_000)];
    const stale = ids[7];
    api.answersByConnection.set(stale, [410]);
    const result = await connections({ scanSegments: 3 }).broadcast({ notice: 'maintenance at noon' });
    expect(result.delivered.length + result.gone.length).toBe(90);
    expect(result.gone).toEqual([stale]);
    expect(result.failed).toEqual([]);
    for (const id of ids) expect(postsTo(id)).toHaveLength(1);
    expect(await table.getRow(stale)).toBeUndefined();
  });

  test('a scan segment that fails stops only that segment; the error holds what the others delivered', async () => {
    // GIVEN dynalite behind a proxy that fails every Scan of segment 1 with DynamoDB's InternalServerError
    const ids = await seed(ALICE, 30);
    const proxy = await FaultInjectingProxy.start(table.endpoint, (request) => {
      const target = request.headers['x-amz-target'];
      return target === 'DynamoDB_20120810.Scan' && JSON.parse(request.body.toString('utf8')).Segment === 1 ? DYNAMODB_INTERNAL_ERROR : undefined;
    });
    const dynamoDb = new DynamoDBClient({ endpoint: proxy.url, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 2 });
    try {
      // WHEN a broadcast scans in two segments
      const error = await connections({ dynamoDb, scanSegments: 2 }).broadcast('hello').catch((e) => e);
      // THEN it reports the scan's failure with the deliveries of segment 0, each posted once
      expect(error).toBeInstanceOf(BroadcastIncompleteError);
      expect(error.cause).toMatchObject({ name: 'InternalServerError' });
      expect(error.result.delivered.length).toBeGreaterThan(0);
      expect(error.result.delivered.length).toBeLessThan(ids.length);
      for (const id of error.result.delivered) expect(postsTo(id)).toHaveLength(1);
      expect(api.received).toHaveLength(error.result.delivered.length);
    } finally {
      dynamoDb.destroy();
      await proxy.stop();
    }
  });
});

describe('listConnections, disconnect and disconnectUser', () => {
  test('listConnections lists the user\'s connections from the index', async () => {
    const ids = await seed(ALICE, 3);
    await seed(BOB, 2);
    const listed = await connections().listConnections(ALICE);
    expect(listed.sort((a, b) => a.connectionId.localeCompare(b.connectionId))).toEqual(ids.map((connectionId) => ({ connectionId, userId: ALICE })));
  });

  test('disconnectUser closes each connection with DELETE and removes its row; a gone one too; a failing one keeps its row', async () => {
    const [open, alreadyGone, failing] = await seed(ALICE, 3);
    const [bobs] = await seed(BOB, 1);
    api.answersByConnection.set(alreadyGone, [410]);
    api.answersByConnection.set(failing, [403]);
    const result = await connections().disconnectUser(ALICE);
    expect(result).toEqual({
      disconnected: [open],
      gone: [alreadyGone],
      failed: [{ connectionId: failing, reason: 'ForbiddenException (HTTP 403)', statusCode: 403, attempts: 1 }],
    });
    expect(api.received.map((request) => `${request.method} ${request.path}`).sort())
      .toEqual([open, alreadyGone, failing].map((id) => `DELETE /prod/@connections/${id}`).sort());
    expect(await table.getRow(open)).toBeUndefined();
    expect(await table.getRow(alreadyGone)).toBeUndefined();
    expect(await table.getRow(failing)).toBeDefined();
    expect(await table.getRow(bobs)).toBeDefined();
  });

  test('disconnect closes one connection', async () => {
    const [id] = await seed(ALICE, 1);
    expect(await connections().disconnect(id)).toEqual({ disconnected: [id], gone: [], failed: [] });
    expect(await table.getRow(id)).toBeUndefined();
  });
});

describe('configuration', () => {
  test('fromEnvironment reads the two variables the construct sets, and names the one missing and the way out', () => {
    const env = { WEBSOCKET_CONNECTIONS_TABLE: table.tableName, WEBSOCKET_CALLBACK_URL: api.callbackUrl };
    expect(WebSocketConnections.fromEnvironment({ dynamoDb: table.client }, env)).toBeInstanceOf(WebSocketConnections);
    expect(() => WebSocketConnections.fromEnvironment({}, { WEBSOCKET_CONNECTIONS_TABLE: 'Connections' }))
      .toThrow(/WEBSOCKET_CALLBACK_URL is not set\. The construct sets it on functions given to addSender\(\) and addRoute\(\)/);
  });

  test.each([
    [{ concurrency: 0 }, 'concurrency must be a whole number from 1; got 0'],
    [{ scanSegments: 1.5 }, 'scanSegments must be a whole number from 1 to 1000000; got 1.5'],
    [{ retry: { maxAttempts: 0 } }, 'retry.maxAttempts must be a whole number from 1; got 0'],
    [{ tableName: '' }, 'tableName must be a non-empty string; got ""'],
    [{ requestTimeoutMs: 0 }, 'requestTimeoutMs must be a whole number from 1; got 0'],
  ])('refuses %j with the rule', (options, message) => {
    expect(() => connections(options as Partial<WebSocketConnectionsOptions>)).toThrow(`WebSocketConnections: ${message}`);
  });
});
