import type { APIGatewayProxyResult } from 'aws-lambda';
import { hasExpired } from '../../runtime';
import type { DisconnectResult, SendResult, WebSocketConnections } from '../../runtime';
import { MAX_MESSAGE_BYTES } from '../../runtime/message-payload';
import { RouteRequestContext, routeLogFields, tokenExpiryOf } from '../route-event';
import { errorNameOf, LogFields, LogWriter } from '../structured-log';

/** The most API Gateway posts to a connection in one frame: 128 KB, after JSON escaping and UTF-8 encoding. */
export const ECHO_MAX_BYTES = MAX_MESSAGE_BYTES;

export interface EchoDeps {
  /**
   * The runtime API, as any sender uses it: it retries throttling, deletes the row of a gone connection, and
   * closes a connection (DELETE @connections) and deletes its row.
   */
  readonly connections: Pick<WebSocketConnections, 'sendToConnection' | 'disconnect'>;
  readonly log: LogWriter;
  /** Epoch milliseconds; injected so tests can fix the time a token's expiry is compared with. */
  readonly now: () => number;
}

export interface EchoEvent {
  readonly body?: string | null;
  readonly requestContext: RouteRequestContext;
}

/** What the sender gets instead of an echo that would pass `ECHO_MAX_BYTES`: it always hears an answer. */
export const ECHO_TOO_LARGE_FRAME = JSON.stringify({ error: 'Message too large to echo', maxBytes: ECHO_MAX_BYTES });

/**
 * Sends `{"message": <body>}` back to the sender, the AWS sample's echo; when that would pass 128 KB (JSON
 * escaping can double a message's size, or more), sends `ECHO_TOO_LARGE_FRAME` instead. A sender that is
 * already gone has its row deleted at once. A sender whose token has expired (the authorizer's `exp`, which
 * API Gateway passes with every message) gets no answer: its connection is closed and its row deleted.
 * Always 200: the route has no route response, and the outcome is in the log.
 */
export async function echoMessage(event: EchoEvent, deps: EchoDeps): Promise<APIGatewayProxyResult> {
  const logBase = routeLogFields('echo', '$default', event.requestContext);
  const expiresAt = tokenExpiryOf(event.requestContext);
  if (expiresAt !== undefined && hasExpired({ exp: expiresAt }, deps.now())) {
    const closed = await deps.connections.disconnect(event.requestContext.connectionId);
    deps.log({ ...logBase, outcome: 'expired', ...closeOutcomeFields(closed) });
    return { statusCode: 200, body: '' };
  }
  const echo = JSON.stringify({ message: event.body ?? '' });
  const echoBytes = Buffer.byteLength(echo, 'utf8');
  const tooLarge = echoBytes > ECHO_MAX_BYTES;
  try {
    const result = await deps.connections.sendToConnection(event.requestContext.connectionId, tooLarge ? ECHO_TOO_LARGE_FRAME : echo);
    const fields = outcomeFields(result);
    deps.log({ ...logBase, ...fields, ...(tooLarge && fields.outcome === 'delivered' ? { outcome: 'too-large', echoBytes } : {}) });
  } catch (err) {
    // Thrown before any request (a message over API Gateway's limit), or by the table when a gone row is deleted.
    deps.log({ ...logBase, outcome: 'failed', errorName: errorNameOf(err) });
  }
  return { statusCode: 200, body: '' };
}

function outcomeFields(result: SendResult): LogFields {
  const [failure] = result.failed;
  if (failure) return { outcome: 'failed', reason: failure.reason, statusCode: failure.statusCode, attempts: failure.attempts };
  return { outcome: result.gone.length > 0 ? 'gone' : 'delivered' };
}

/**
 * `closed`: `closed` or `gone` (its row was deleted), or `failed` (the row stays, so the sweeper tries again) with
 * the failure's reason.
 */
function closeOutcomeFields(result: DisconnectResult): LogFields {
  const [failure] = result.failed;
  if (failure) return { closed: 'failed', reason: failure.reason, statusCode: failure.statusCode, attempts: failure.attempts };
  return { closed: result.gone.length > 0 ? 'gone' : 'closed' };
}
