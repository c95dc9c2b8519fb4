import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import WebSocket from 'ws';
import { FaultInjectingProxy, managementApiFault } from './fault-injecting-proxy';
import { LocalRuntime, startLocalRuntime } from '../../local/local-runtime';
import { DEFAULT_RETRY_POLICY, WebSocketConnections, WebSocketConnectionsOptions } from '../../runtime';
import { signUpAndSignIn } from '../local/cognito-test-user';
import { synthesizeConstructTestApp } from '../local/fixtures/websocket-test-app';
import { closeAll, closed, openPatiently } from '../local/websocket-test-client';

/**
 * The runtime API against the local runtime serving an app built with the construct: real WebSocket clients
 * connected through the deployed authorizer and connect handler, rows written by them in the local DynamoDB, the
 * local @connections API delivering to the sockets and counting what it receives. Where the test needs the
 * @connections API to throttle or fail, a real proxy in front of it answers so, in API Gateway's wire format.
 */

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A connected client and every message it received, in order. */
interface Client {
  readonly socket: WebSocket;
  readonly received: string[];
}

describe('the runtime API against the local runtime', () => {
  const assembly = mkdtempSync(path.join(tmpdir(), 'runtime-fan-out-'));
  let runtime: LocalRuntime;
  let dynamoDb: DynamoDBClient;
  let tableName: string;
  const clients: Client[] = [];

  // What a backend process on this machine has: a region and some credentials (the local runtime checks no signature).
  const savedEnvironment = { ...process.env };

  beforeAll(async () => {
    synthesizeConstructTestApp(assembly);
    runtime = await startLocalRuntime({ cloudAssembly: assembly, onHandlerLog: () => undefined });
    Object.assign(process.env, { AWS_REGION: runtime.region, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
    dynamoDb = new DynamoDBClient({ region: runtime.region, endpoint: runtime.dynamoDbEndpoint, credentials });
    [tableName] = Object.values(runtime.tableNames);
  });

  afterEach(async () => {
    await closeAll(clients.splice(0).map(({ socket }) => socket));
  });

  afterAll(async () => {
    process.env = savedEnvironment;
    dynamoDb?.destroy();
    await runtime?.stop();
    rmSync(assembly, { recursive: true, force: true });
  });

  /**
   * The runtime API pointed at the local runtime. This process hosts the runtime, up to a thousand clients and the
   * sender on a shared two-core machine, where an answer can take longer than the 3 s a deployed sender waits: these
   * tests are about what is delivered, not how fast, so a post is given 30 s before it counts as unanswered.
   */
  function connections(options: Partial<WebSocketConnectionsOptions> = {}): WebSocketConnections {
    return new WebSocketConnections({ tableName, callbackUrl: runtime.callbackUrl, dynamoDb, requestTimeoutMs: 30_000, ...options });
  }

  /** A new user, signed in through the local Cognito endpoint: their `sub` and ID token. */
  async function newUser(username: string): Promise<{ userId: string; idToken: string }> {
    const idToken = await signUpAndSignIn(runtime, username);
    return { userId: JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString()).sub, idToken };
  }

  /**
   * `count` connections of the user with that token, each recording what it receives; resolves once all are open.
   * They open 100 at a time, and a handshake refused with a 5xx is tried again: on a busy two-core machine a
   * thousand handshakes at once can outrun a handler's timeout, which is not what these tests are about.
   */
  async function connectAs(idToken: string, count: number): Promise<Client[]> {
    const opened: Client[] = [];
    for (let start = 0; start < count; start += 100) {
      opened.push(...await Promise.all(Array.from({ length: Math.min(100, count - start) }, async () => {
        const socket = await openPatiently(`${runtime.websocketUrl}?idToken=${idToken}`);
        const client: Client = { socket, received: [] };
        socket.on('message', (data) => client.received.push(data.toString()));
        clients.push(client);
        return client;
      })));
    }
    return opened;
  }

  /**
   * The user's connection ids once every one of `count` rows is there. `$connect` writes the row before the
   * handshake completes, so they are there when the sockets are open; the poll only bounds a slow index.
   */
  async function connectionIdsOf(userId: string, count: number): Promise<string[]> {
    for (const deadline = Date.now() + 10_000; ;) {
      const ids = (await connections().listConnections(userId)).map((record) => record.connectionId);
      if (ids.length >= count || Date.now() > deadline) return ids.sort();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Sends a marker after the message under test and waits until every client has it: the @connections API writes
   * to a socket before it answers, and a socket delivers in order, so whatever a client received before its marker
   * is all it will receive of the message under test.
   */
  async function settle(userId: string, of: Client[]): Promise<void> {
    await connections().sendToUser(userId, 'marker');
    for (const deadline = Date.now() + 20_000; of.some((client) => !client.received.includes('marker'));) {
      if (Date.now() > deadline) throw new Error('a marker did not arrive');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  test('three connections of one user each receive the message exactly once; another user receives nothing', async () => {
    // GIVEN Alice on three devices and Bob on one
    const alice = await newUser('fan-out-alice');
    const bob = await newUser('fan-out-bob');
    const aliceClients = await connectAs(alice.idToken, 3);
    const [bobClient] = await connectAs(bob.idToken, 1);
    const aliceIds = await connectionIdsOf(alice.userId, 3);
    // WHEN a backend sends to Alice
    const result = await connections().sendToUser(alice.userId, { text: 'hello Alice' });
    await settle(alice.userId, aliceClients);
    // THEN each of her sockets received it once, the @connections API received one POST per connection, Bob nothing
    expect(result).toEqual({ delivered: expect.arrayContaining(aliceIds), gone: [], failed: [] });
    expect(result.delivered).toHaveLength(3);
    for (const client of aliceClients) expect(client.received).toEqual(['{"text":"hello Alice"}', 'marker']);
    for (const id of aliceIds) expect(runtime.managementApiRequests.countsOf(id)).toEqual({ POST: 2, GET: 0, DELETE: 0 });
    expect(bobClient.received).toEqual([]);
  });

  test('a stale row, of a connection id that never existed, is reported gone and deleted; the live one is delivered', async () => {
    // GIVEN a live connection of Carol, and a row for her that no connection ever had
    const carol = await newUser('fan-out-carol');
    const [client] = await connectAs(carol.idToken, 1);
    const [liveId] = await connectionIdsOf(carol.userId, 1);
    await dynamoDb.send(new PutItemCommand({
      TableName: tableName,
      Item: { connectionId: { S: 'NeverExisted123=' }, userId: { S: carol.userId }, removedAt: { N: '2000000000' } },
    }));
    // WHEN a backend sends to Carol
    const result = await connections().sendToUser(carol.userId, 'hi Carol');
    // THEN the stale id is gone (the API answered 410 to its one POST) and its row deleted; the live one delivered
    expect(result).toEqual({ delivered: [liveId], gone: ['NeverExisted123='], failed: [] });
    expect(runtime.managementApiRequests.countsOf('NeverExisted123=')).toEqual({ POST: 1, GET: 0, DELETE: 0 });
    expect(await connectionIdsOf(carol.userId, 1)).toEqual([liveId]);
    await settle(carol.userId, [client]);
    expect(client.received).toEqual(['hi Carol', 'marker']);
  });

  test('a management API answering 429 twice then 200 delivers once', async () => {
    // GIVEN Dave connected, and the @connections API throttling the first two posts to his connection
    const dave = await newUser('fan-out-dave');
    const [client] = await connectAs(dave.idToken, 1);
    const [connectionId] = await connectionIdsOf(dave.userId, 1);
    let throttled = 0;
    const proxy = await FaultInjectingProxy.start(runtime.callbackUrl, (request) =>
      request.method === 'POST' && request.path.endsWith(connectionId) && throttled++ < 2 ? managementApiFault(429) : undefined);
    try {
      // WHEN a backend sends to him through it
      const result = await connections({ callbackUrl: proxy.url }).sendToUser(dave.userId, 'after the throttle');
      // THEN the third attempt went through, and only it reached the local @connections API
      expect(result).toEqual({ delivered: [connectionId], gone: [], failed: [] });
      expect(proxy.seen.filter((request) => request.method === 'POST')).toHaveLength(3);
      expect(runtime.managementApiRequests.countsOf(connectionId).POST).toBe(1);
    } finally {
      await proxy.stop();
    }
    // AND the client received the message once
    await settle(dave.userId, [client]);
    expect(client.received).toEqual(['after the throttle', 'marker']);
  });

  test('a persistent 500 is reported failed after the bounded retries; the other connection is delivered', async () => {
    // GIVEN Erin on two devices, and the @connections API failing every post to one of them
    const erin = await newUser('fan-out-erin');
    const erinClients = await connectAs(erin.idToken, 2);
    const [broken, fine] = await connectionIdsOf(erin.userId, 2);
    const proxy = await FaultInjectingProxy.start(runtime.callbackUrl,
      (request) => request.path.endsWith(broken) ? managementApiFault(500) : undefined);
    try {
      // WHEN a backend sends to her through it
      const result = await connections({ callbackUrl: proxy.url, retry: { baseDelayMs: 5 } }).sendToUser(erin.userId, 'one of two');
      // THEN the broken connection is reported after every attempt the policy allows; the other got it
      expect(result).toEqual({
        delivered: [fine],
        gone: [],
        failed: [{ connectionId: broken, reason: 'InternalServerErrorException (HTTP 500)', statusCode: 500, attempts: DEFAULT_RETRY_POLICY.maxAttempts }],
      });
      expect(proxy.seen.filter((request) => request.path.endsWith(broken))).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts);
      expect(runtime.managementApiRequests.countsOf(broken).POST).toBe(0);
    } finally {
      await proxy.stop();
    }
    // AND the failed connection keeps its row: it is not gone
    expect(await connectionIdsOf(erin.userId, 2)).toEqual([broken, fine].sort());
    // AND of her two sockets, one received the message once and the other not at all
    await settle(erin.userId, erinClients);
    expect(erinClients.map((client) => client.received.filter((message) => message === 'one of two').length).sort()).toEqual([0, 1]);
  });

  test('1,000 connections of one user all receive the message exactly once', async () => {
    // GIVEN Frank on 1,000 connections
    const frank = await newUser('fan-out-frank');
    const frankClients = await connectAs(frank.idToken, 1000);
    const ids = await connectionIdsOf(frank.userId, 1000);
    expect(ids).toHaveLength(1000);
    // WHEN a backend sends to him
    const result = await connections().sendToUser(frank.userId, 'to every device');
    await settle(frank.userId, frankClients);
    // THEN every connection was posted to once and every socket received it once
    expect(result).toMatchObject({ gone: [], failed: [] });
    expect(result.delivered.sort()).toEqual(ids);
    expect(frankClients.filter((client) => client.received.join('|') !== 'to every device|marker')).toEqual([]);
    expect(ids.filter((id) => runtime.managementApiRequests.countsOf(id).POST !== 2)).toEqual([]);
  }, 300_000);

  test('disconnectUser closes every socket of that user and removes the rows; another user stays connected', async () => {
    // GIVEN Grace on three devices and Heidi on one
    const grace = await newUser('fan-out-grace');
    const heidi = await newUser('fan-out-heidi');
    const graceClients = await connectAs(grace.idToken, 3);
    const [heidiClient] = await connectAs(heidi.idToken, 1);
    const graceIds = await connectionIdsOf(grace.userId, 3);
    const socketsClosed = Promise.all(graceClients.map((client) => closed(client.socket)));
    // WHEN a backend disconnects Grace
    const result = await connections().disconnectUser(grace.userId);
    // THEN each of her connections got one DELETE and its socket closed; no row of hers is left
    expect(result.disconnected.sort()).toEqual(graceIds);
    expect(result).toMatchObject({ gone: [], failed: [] });
    expect(await within(10_000, socketsClosed, 'the sockets to close')).toEqual([1000, 1000, 1000]);
    for (const id of graceIds) expect(runtime.managementApiRequests.countsOf(id).DELETE).toBe(1);
    expect(await connections().listConnections(grace.userId)).toEqual([]);
    // AND Heidi is still connected
    expect(heidiClient.socket.readyState).toBe(WebSocket.OPEN);
  });
});

/** The promise's value, or a rejection naming what did not happen within `ms`. */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
