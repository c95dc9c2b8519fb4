/**
 * How a call to the @connections management API ends, and when it is tried again: a connection that is gone (410)
 * is final; throttling (429), a server error (5xx) and a connection refused or reset are retried a bounded number of
 * times with full-jitter exponential backoff; any other answer (413, 403, another 4xx) is final, and so is a request
 * that timed out: it may have been delivered, and waiting again would take the caller past its own timeout.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** The first retry waits a random time below this; each later one below twice the previous bound. */
  readonly baseDelayMs: number;
  /** No wait is longer than this. */
  readonly maxDelayMs: number;
}

/** Four attempts within about a second and a half: well inside a handler's timeout, enough to ride out a burst. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 1_000 };

/** What one call came to, after its retries. */
export type CallOutcome =
  | { readonly status: 'ok' }
  | { readonly status: 'gone' }
  | { readonly status: 'failed'; readonly reason: string; readonly statusCode?: number; readonly attempts: number };

/** A failed call, classified. */
interface Failure {
  readonly kind: 'gone' | 'retryable' | 'final';
  readonly reason: string;
  readonly statusCode?: number;
}

/** The shape of an AWS SDK v3 service error, and of Node.js network errors. */
interface ErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $response?: { readonly statusCode?: number };
}

const THROTTLING_NAMES = new Set(['LimitExceededException', 'ThrottlingException', 'TooManyRequestsException']);
/** Network failures that end a request at once, before an answer: the connection was refused, reset or unreachable. */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `call` until it succeeds, fails for good, or has used `policy.maxAttempts`. */
export async function callWithRetry(
  call: () => Promise<unknown>, policy: RetryPolicy, random: () => number = Math.random, sleep = realSleep,
): Promise<CallOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      await call();
      return { status: 'ok' };
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind === 'gone') return { status: 'gone' };
      if (failure.kind === 'final' || attempt >= policy.maxAttempts) {
        return { status: 'failed', reason: failure.reason, statusCode: failure.statusCode, attempts: attempt };
      }
      // Full jitter spreads the retries of many concurrent calls instead of sending them back in step.
      await sleep(Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))));
    }
  }
}

/**
 * SDK v3 reports a gone connection as `GoneException` with `$metadata.httpStatusCode` 410 and never sets the
 * `statusCode` the AWS sample tested, which is why its stale rows were never removed.
 */
export function classifyFailure(error: unknown): Failure {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  const statusCode = shape.$metadata?.httpStatusCode ?? shape.$response?.statusCode;
  const name = shape.name ?? 'Error';
  const reason = statusCode === undefined ? name : `${name} (HTTP ${statusCode})`;
  if (name === 'GoneException' || statusCode === 410) return { kind: 'gone', reason, statusCode };
  if (statusCode === 429 || THROTTLING_NAMES.has(name)) return { kind: 'retryable', reason, statusCode };
  if (statusCode !== undefined) return { kind: statusCode >= 500 ? 'retryable' : 'final', reason, statusCode };
  const code = shape.code ?? networkErrorCodeIn(shape.message);
  if (code && TRANSIENT_CODES.has(code)) return { kind: 'retryable', reason: `${name} (${code})` };
  // No answer came: the client's own error (no region, no credentials, a timeout). Its message is the client's, not
  // the service's, and says what to fix.
  return { kind: 'final', reason: shape.message ? `${name}: ${shape.message.slice(0, MAX_MESSAGE_IN_REASON)}` : name };
}

/** Enough of a client error's message to say what went wrong, short enough for a log line per connection. */
const MAX_MESSAGE_IN_REASON = 200;

/**
 * The SDK wraps an error from another realm (a `vm` context, a test runner's sandbox) as `AWS SDK error wrapper for
 * Error: connect ECONNREFUSED ...`, losing its `code`; the code is still in the text.
 */
function networkErrorCodeIn(message: string | undefined): string | undefined {
  return [...TRANSIENT_CODES].find((code) => message?.includes(code));
}
