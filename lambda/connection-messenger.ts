import { ApiGatewayManagementApiClient, DeleteConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';

/**
 * The management API client the handlers use. maxAttempts 1: `postToConnection` owns the retry
 * policy (throttling only, never a 410 or a 500 that may have been delivered). The timeouts keep a
 * hung @connections call from holding the handler until its Lambda timeout.
 */
export function createManagementApiClient(endpoint: string): ApiGatewayManagementApiClient {
  return new ApiGatewayManagementApiClient({
    endpoint,
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: MANAGEMENT_API_CONNECT_TIMEOUT_MS,
      requestTimeout: MANAGEMENT_API_REQUEST_TIMEOUT_MS,
      // Without it the SDK only warns on a request timeout and keeps waiting.
      throwOnRequestTimeout: true,
    },
  });
}

export const MANAGEMENT_API_CONNECT_TIMEOUT_MS = 1_000;
export const MANAGEMENT_API_REQUEST_TIMEOUT_MS = 3_000;

/** What became of one message: delivered, the connection is gone (410), or it could not be delivered. */
export type PostOutcome =
  | { readonly status: 'delivered'; readonly attempts: number }
  | { readonly status: 'gone'; readonly attempts: number }
  | { readonly status: 'failed'; readonly attempts: number; readonly errorName: string };

export interface RetryPolicy {
  /** Total attempts, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Throttled posts are retried a few times within a second or so, well inside a handler's timeout. */
export const THROTTLE_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 800 };

export interface MessengerDeps {
  readonly client: Pick<ApiGatewayManagementApiClient, 'send'>;
  readonly retry?: RetryPolicy;
  /** Injected so tests can run without real waits; in Lambda a real timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); the jitter source. */
  readonly random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Posts one message to one connection through the @connections management API.
 * Give it a client from `createManagementApiClient` (no SDK retries): this function owns the
 * retries, so a 410 is seen on the first answer and a 500 (which may have been delivered) is not re-sent.
 */
export async function postToConnection(
  connectionId: string, data: string | Uint8Array, deps: MessengerDeps,
): Promise<PostOutcome> {
  const retry = deps.retry ?? THROTTLE_RETRY_POLICY;
  const sleep = deps.sleep ?? realSleep;
  const random = deps.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.client.send(new PostToConnectionCommand({
        ConnectionId: connectionId,
        Data: typeof data === 'string' ? Buffer.from(data, 'utf8') : data,
      }));
      return { status: 'delivered', attempts: attempt };
    } catch (err) {
      if (isGone(err)) {
        return { status: 'gone', attempts: attempt };
      }
      if (!isThrottled(err) || attempt >= retry.maxAttempts) {
        return { status: 'failed', attempts: attempt, errorName: err instanceof Error ? err.name : 'unknown' };
      }
      // Full jitter: spreads the retries of many concurrent senders instead of synchronising them.
      const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
      await sleep(Math.floor(random() * ceiling));
    }
  }
}

/** What became of a request to close a connection: closed now, already gone (410), or not closed. */
export type CloseOutcome =
  | { readonly status: 'closed' }
  | { readonly status: 'gone' }
  | { readonly status: 'failed'; readonly errorName: string };

/**
 * Closes one connection through the @connections management API (DeleteConnection): API Gateway then ends the
 * WebSocket with close code 1000 and runs `$disconnect`. Not retried: the caller's next pass tries again.
 */
export async function closeConnection(connectionId: string, deps: Pick<MessengerDeps, 'client'>): Promise<CloseOutcome> {
  try {
    await deps.client.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    return { status: 'closed' };
  } catch (err) {
    if (isGone(err)) return { status: 'gone' };
    return { status: 'failed', errorName: err instanceof Error ? err.name : 'unknown' };
  }
}

interface ServiceErrorShape {
  readonly name?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** SDK v3 throws GoneException with `$metadata.httpStatusCode` 410; it never sets `statusCode` (the AWS sample's bug). */
export function isGone(err: unknown): boolean {
  const shape = err as ServiceErrorShape | undefined;
  return shape?.name === 'GoneException' || shape?.$metadata?.httpStatusCode === 410;
}

const THROTTLING_ERROR_NAMES = new Set(['LimitExceededException', 'ThrottlingException', 'TooManyRequestsException']);

export function isThrottled(err: unknown): boolean {
  const shape = err as ServiceErrorShape | undefined;
  return shape?.$metadata?.httpStatusCode === 429 || THROTTLING_ERROR_NAMES.has(shape?.name ?? '');
}
