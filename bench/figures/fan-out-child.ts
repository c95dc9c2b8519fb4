/**
 * Figure 4's measuring process: `connections` WebSocket clients of the local runtime's demo user, and three senders taking turns to reach every one of them with one message: the runtime API's
 * `sendToUser`, a raw keep-alive HTTP client posting the same requests 50 at a time (the floor), and a loop posting
 * them one after the other with the management API client (the naive way). Each turn is timed from the call until
 * every client has received its message.
 */
import { Agent, request } from 'node:http';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type WebSocket from 'ws';
import { ConnectionAttributes } from '../../src/wire-contract';
import { measureOnInput } from '../child-process';
import { signInWithPassword } from '../cognito-sign-in';
import { closeAll, openConnections, warmUp, withDeadline } from '../local-load/websocket-load';

/** The local runtime's --json endpoints line, the fields this figure reads. */
export interface FanOutEndpoints {
  readonly region: string;
  readonly websocketUrl: string;
  readonly callbackUrl: string;
  readonly cognitoEndpoint: string;
  readonly userPoolClientId: string;
  readonly demoUser: { readonly username: string; readonly password: string };
  readonly dynamoDbEndpoint: string;
  /** Physical table names by logical id. */
  readonly tables: Record<string, string>;
}

export interface FanOutInput {
  readonly repoRoot: string;
  readonly endpoints: FanOutEndpoints;
  readonly connections: number;
  readonly repetitions: number;
}

export const SENDERS = ['sendToUser', 'floor', 'sequential'] as const;
export type SenderName = typeof SENDERS[number];
/** Milliseconds until every connection received the message, one entry per repetition, by sender. */
export type FanOutResult = Record<SenderName, number[]>;

/** The part of `cdk-cognito-websocket-api/runtime` this figure calls. */
interface RuntimeApi {
  readonly WebSocketConnections: new (options: { tableName: string; callbackUrl: string; dynamoDb: DynamoDBClient; concurrency?: number }) => {
    sendToUser(userId: string, data: unknown): Promise<{ delivered: string[]; gone: string[]; failed: unknown[] }>;
  };
}

/** The runtime API's default concurrency; the floor gets as many sockets. */
const CONCURRENCY = 50;
const TURN_DEADLINE_MS = 120_000;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

async function main(input: FanOutInput): Promise<FanOutResult> {
  const runtime = input.endpoints;
  const dynamoDb = new DynamoDBClient({ region: runtime.region, endpoint: runtime.dynamoDbEndpoint, credentials });
  const management = new ApiGatewayManagementApiClient({ region: runtime.region, endpoint: runtime.callbackUrl, credentials, maxAttempts: 1 });
  let sockets: WebSocket[] = [];
  try {
    const { username, password } = runtime.demoUser;
    const token = await signInWithPassword(runtime.cognitoEndpoint, runtime.userPoolClientId, username, password);
    const userId = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub as string;
    const url = `${runtime.websocketUrl}?idToken=${token}`;
    await warmUp(url);
    sockets = (await openConnections(url, input.connections)).sockets;
    const tableName = Object.values(runtime.tables)[0];
    const connectionIds = await connectionsOf(tableName, dynamoDb, userId);
    if (connectionIds.length !== input.connections) throw new Error(`the table holds ${connectionIds.length} of ${input.connections} connections`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the runtime API is loaded from the checkout by its path
    const { WebSocketConnections } = require(path.join(input.repoRoot, 'runtime')) as RuntimeApi;
    const api = new WebSocketConnections({ tableName, callbackUrl: runtime.callbackUrl, dynamoDb, concurrency: CONCURRENCY });
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const send: Record<SenderName, (body: string) => Promise<void>> = {
      sendToUser: async (body) => {
        const result = await api.sendToUser(userId, body);
        if (result.delivered.length !== input.connections) {
          throw new Error(`sendToUser delivered ${result.delivered.length} of ${input.connections}: ${JSON.stringify(result.failed[0])}`);
        }
      },
      floor: (body) => forEachAtOnce(connectionIds, CONCURRENCY, (id) => rawPost(agent, runtime.callbackUrl, id, body)),
      sequential: async (body) => {
        for (const id of connectionIds) await management.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from(body) }));
      },
    };
    const result = Object.fromEntries(SENDERS.map((name) => [name, [] as number[]])) as FanOutResult;
    // One untimed turn each: sockets, SDK clients and the JIT warm, as a backend's would be.
    for (const name of SENDERS) await timedTurn(sockets, `warm-${name}`, send[name]);
    for (let repetition = 0; repetition < input.repetitions; repetition++) {
      for (let turn = 0; turn < SENDERS.length; turn++) {
        const name = SENDERS[(repetition + turn) % SENDERS.length];
        result[name].push(await timedTurn(sockets, `${name}-${repetition}`, send[name]));
      }
    }
    agent.destroy();
    return result;
  } finally {
    closeAll(sockets);
    dynamoDb.destroy();
    management.destroy();
  }
}

/** Every connection id of the user, from the table's user index, as `sendToUser` finds them. */
async function connectionsOf(tableName: string, dynamoDb: DynamoDBClient, userId: string): Promise<string[]> {
  const ids: string[] = [];
  let startKey: Record<string, never> | undefined;
  do {
    const page = await dynamoDb.send(new QueryCommand({
      TableName: tableName,
      IndexName: ConnectionAttributes.USER_ID_INDEX,
      KeyConditionExpression: '#user = :user',
      ExpressionAttributeNames: { '#user': ConnectionAttributes.USER_ID },
      ExpressionAttributeValues: { ':user': { S: userId } },
      ExclusiveStartKey: startKey,
    }));
    for (const item of page.Items ?? []) ids.push(item[ConnectionAttributes.CONNECTION_ID].S!);
    startKey = page.LastEvaluatedKey as typeof startKey;
  } while (startKey);
  return ids;
}

/** Milliseconds from calling `send` with a fresh marker until every socket received it. */
async function timedTurn(sockets: readonly WebSocket[], marker: string, send: (body: string) => Promise<void>): Promise<number> {
  const received = Promise.all(sockets.map((socket) => new Promise<void>((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      if (data.toString() !== marker) return;
      socket.off('message', onMessage);
      resolve();
    };
    socket.on('message', onMessage);
  })));
  const start = performance.now();
  await withDeadline(Promise.all([send(marker), received]), TURN_DEADLINE_MS, `every connection to receive ${marker}`);
  return performance.now() - start;
}

/** POST /@connections/{id} with `body`, over the agent's keep-alive sockets; anything but 200 fails. */
function rawPost(agent: Agent, callbackUrl: string, connectionId: string, body: string): Promise<void> {
  const url = new URL(`${callbackUrl}/@connections/${encodeURIComponent(connectionId)}`);
  return new Promise((resolve, reject) => {
    const post = request(url, { method: 'POST', agent, headers: { 'Content-Length': Buffer.byteLength(body) } }, (response) => {
      response.resume();
      response.once('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`@connections answered ${response.statusCode}`))));
    });
    post.once('error', reject);
    post.end(body);
  });
}

/** Runs `task` on every item, at most `concurrency` at once. */
async function forEachAtOnce<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

measureOnInput<FanOutInput>(main);
