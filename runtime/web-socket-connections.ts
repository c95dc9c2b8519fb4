/**
 * Reach users of a `CognitoAuthorizedWebSocketApi` from a backend: every connection of a user, one connection, or
 * every connection of the API, through the stage's @connections management API, with the connections table telling
 * who is connected where. Built once (at module scope in a Lambda function) and reused: its sockets stay open
 * between calls.
 */
import { ApiGatewayManagementApiClient, DeleteConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { forEachConcurrently, splitConcurrency } from './bounded-concurrency';
import { ConnectionRecord, ConnectionsTable } from './connections-table';
import { BroadcastIncompleteError, DisconnectResult, OutcomeTally, SendResult } from './fan-out-result';
import { createManagementApiClient, REQUEST_TIMEOUT_MS } from './management-api-client';
import { encodeMessage, MessageData } from './message-payload';
import { callWithRetry, CallOutcome, DEFAULT_RETRY_POLICY, RetryPolicy } from './retry-policy';
import { ConnectionsEnvironment } from '../src/wire-contract';

export interface WebSocketConnectionsOptions {
  /** The connections table: the construct's `connectionsTable.tableName`. */
  readonly tableName: string;
  /** The stage's @connections endpoint: the construct's `callbackUrl`, `https://<api>.execute-api.<region>.amazonaws.com/<stage>`. */
  readonly callbackUrl: string;
  /**
   * The DynamoDB client to read and delete rows with.
   * @default - `new DynamoDBClient({})`: region and credentials from the environment, and an endpoint from
   * `AWS_ENDPOINT_URL_DYNAMODB` when set (a local DynamoDB)
   */
  readonly dynamoDb?: DynamoDBClient;
  /**
   * The management API client to post and disconnect with. Give it `maxAttempts: 1`: the retries are this class's.
   * @default - a client for `callbackUrl` with keep-alive sockets (at most `concurrency`), a 1 s connect timeout,
   * `requestTimeoutMs`, and no retries of its own
   */
  readonly managementApi?: ApiGatewayManagementApiClient;
  /**
   * How long the default management API client waits for an answer before it gives a request up (not retried: it
   * may have been delivered). Ignored when `managementApi` is given.
   * @default 3000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Requests in flight at once, at most, in one call.
   * @default 50
   */
  readonly concurrency?: number;
  /**
   * How throttled (429), failed (5xx) and timed-out requests are retried.
   * @default - 4 attempts in all, full-jitter backoff from 50 ms, each wait at most 1 s
   */
  readonly retry?: Partial<RetryPolicy>;
  /**
   * Segments of `broadcast`'s parallel scan, read at once.
   * @default 4
   */
  readonly scanSegments?: number;
}

export const DEFAULT_CONCURRENCY = 50;
export const DEFAULT_SCAN_SEGMENTS = 4;
/** DynamoDB's limit on the segments of a parallel scan. */
const MAX_SCAN_SEGMENTS = 1_000_000;

export class WebSocketConnections {
  /**
   * Reads what the construct sets on its route handlers and senders: `WEBSOCKET_CONNECTIONS_TABLE` and
   * `WEBSOCKET_CALLBACK_URL`. The AWS SDK reads the rest (`AWS_REGION`, credentials, `AWS_ENDPOINT_URL_DYNAMODB`).
   */
  static fromEnvironment(options: Omit<WebSocketConnectionsOptions, 'tableName' | 'callbackUrl'> = {},
    env: NodeJS.ProcessEnv = process.env): WebSocketConnections {
    return new WebSocketConnections({
      ...options,
      tableName: requiredVariable(env, ConnectionsEnvironment.TABLE_NAME),
      callbackUrl: requiredVariable(env, ConnectionsEnvironment.CALLBACK_URL),
    });
  }

  private readonly table: ConnectionsTable;
  private readonly managementApi: ApiGatewayManagementApiClient;
  private readonly concurrency: number;
  private readonly retry: RetryPolicy;
  private readonly scanSegments: number;

  constructor(options: WebSocketConnectionsOptions) {
    requireText('tableName', options.tableName);
    requireText('callbackUrl', options.callbackUrl);
    this.concurrency = wholeNumber('concurrency', options.concurrency ?? DEFAULT_CONCURRENCY, 1);
    this.scanSegments = wholeNumber('scanSegments', options.scanSegments ?? DEFAULT_SCAN_SEGMENTS, 1, MAX_SCAN_SEGMENTS);
    this.retry = {
      maxAttempts: wholeNumber('retry.maxAttempts', options.retry?.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts, 1),
      baseDelayMs: wholeNumber('retry.baseDelayMs', options.retry?.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs, 0),
      maxDelayMs: wholeNumber('retry.maxDelayMs', options.retry?.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs, 0),
    };
    this.table = new ConnectionsTable(options.dynamoDb ?? new DynamoDBClient({}), options.tableName);
    const requestTimeoutMs = wholeNumber('requestTimeoutMs', options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, 1);
    this.managementApi = options.managementApi ?? createManagementApiClient(options.callbackUrl, this.concurrency, requestTimeoutMs);
  }

  /**
   * Sends `data` to every connection of the user (every device), at most `concurrency` at once. A connection that
   * is gone (410) has its row deleted; throttling and server errors are retried; one failure never stops the
   * others. Throws, before any request, a `MessageTooLargeError` for a message over 128 KB, and the DynamoDB error
   * when the user's connections cannot be listed (then nothing was sent).
   */
  async sendToUser(userId: string, data: MessageData): Promise<SendResult> {
    const message = encodeMessage(data);
    const connections = await this.table.connectionsOfUser(userId);
    return this.post(connections.map((connection) => connection.connectionId), message);
  }

  /** Sends `data` to one connection; the result holds it in one of its three lists. */
  async sendToConnection(connectionId: string, data: MessageData): Promise<SendResult> {
    return this.sendToConnections([connectionId], data);
  }

  /** Sends `data` to each of the connections (for example a batch a queue consumer received), at most `concurrency` at once. */
  async sendToConnections(connectionIds: Iterable<string>, data: MessageData): Promise<SendResult> {
    return this.post(connectionIds, encodeMessage(data));
  }

  /**
   * Sends `data` to every connection of the API: a parallel scan of the table in `scanSegments` segments, each page
   * posted as it arrives, at most `concurrency` requests at once in all. Fit for thousands of connections in one
   * call; beyond that, fan out through a queue (see the README). Throws a `BroadcastIncompleteError`, holding what
   * was sent, when the scan fails part way.
   */
  async broadcast(data: MessageData): Promise<SendResult> {
    const message = encodeMessage(data);
    const tally = new OutcomeTally();
    const shares = splitConcurrency(this.concurrency, this.scanSegments);
    const segments = await Promise.allSettled(shares.map((share, segment) => forEachConcurrently(
      this.table.connectionIdsInSegment(segment, shares.length), share,
      async (connectionId) => tally.record(connectionId, await this.postOne(connectionId, message)))));
    const failure = segments.find((segment): segment is PromiseRejectedResult => segment.status === 'rejected');
    if (failure) throw new BroadcastIncompleteError(tally.toSendResult(), failure.reason);
    return tally.toSendResult();
  }

  /** The user's connections, from the `userIdIndex` index (eventually consistent: one opened a moment ago may be missing). */
  async listConnections(userId: string): Promise<ConnectionRecord[]> {
    return this.table.connectionsOfUser(userId);
  }

  /** Closes one connection (API Gateway then runs `$disconnect`) and deletes its row. */
  async disconnect(connectionId: string): Promise<DisconnectResult> {
    return this.close([connectionId]);
  }

  /** Closes every connection of the user and deletes their rows, for example when the user signs out or is disabled. */
  async disconnectUser(userId: string): Promise<DisconnectResult> {
    const connections = await this.table.connectionsOfUser(userId);
    return this.close(connections.map((connection) => connection.connectionId));
  }

  private async post(connectionIds: Iterable<string>, message: Uint8Array): Promise<SendResult> {
    const tally = new OutcomeTally();
    const unique = new Set(connectionIds);
    await forEachConcurrently(unique, Math.min(this.concurrency, unique.size),
      async (connectionId) => tally.record(connectionId, await this.postOne(connectionId, message)));
    return tally.toSendResult();
  }

  private async postOne(connectionId: string, message: Uint8Array): Promise<CallOutcome> {
    const outcome = await callWithRetry(
      () => this.managementApi.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: message })), this.retry);
    if (outcome.status === 'gone') await this.forget(connectionId);
    return outcome;
  }

  private async close(connectionIds: string[]): Promise<DisconnectResult> {
    const tally = new OutcomeTally();
    const unique = new Set(connectionIds);
    await forEachConcurrently(unique, Math.min(this.concurrency, unique.size), async (connectionId) => {
      const outcome = await callWithRetry(
        () => this.managementApi.send(new DeleteConnectionCommand({ ConnectionId: connectionId })), this.retry);
      // Closed or already gone, the row no longer describes a live connection; `$disconnect` deletes it too, later.
      if (outcome.status !== 'failed') await this.forget(connectionId);
      tally.record(connectionId, outcome);
    });
    return tally.toDisconnectResult();
  }

  /**
   * Best effort: the connection is gone whether or not its row goes. A row left by a failed delete is found gone
   * again by the next send, or expires with its `removedAt` TTL.
   */
  private async forget(connectionId: string): Promise<void> {
    await this.table.deleteRow(connectionId).catch(() => undefined);
  }
}

function requiredVariable(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) {
    throw new Error(
      `WebSocketConnections.fromEnvironment(): ${name} is not set. The construct sets it on functions given to ` +
      'addSender() and addRoute(); elsewhere set it yourself, or use new WebSocketConnections({ tableName, callbackUrl })',
    );
  }
  return value;
}

function requireText(name: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`WebSocketConnections: ${name} must be a non-empty string; got ${JSON.stringify(value)}`);
  }
}

function wholeNumber(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`WebSocketConnections: ${name} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}; got ${value}`);
  }
  return value;
}
