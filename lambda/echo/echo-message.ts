import type { APIGatewayProxyResult } from 'aws-lambda';
import { MessengerDeps, postToConnection } from '../connection-messenger';
import { ConnectionsStore } from '../connections-store';
import { RouteRequestContext, routeLogFields } from '../route-event';
import { errorNameOf, LogWriter } from '../structured-log';

/** The most API Gateway posts to a connection in one frame: 128 KB, after JSON escaping and UTF-8 encoding. */
export const ECHO_MAX_BYTES = 128 * 1024;

export interface EchoDeps extends MessengerDeps {
  readonly store: Pick<ConnectionsStore, 'deleteConnection'>;
  readonly log: LogWriter;
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
 * already gone has its row deleted at once. Always 200: the route has no route response, and the outcome
 * is in the log.
 */
export async function echoMessage(event: EchoEvent, deps: EchoDeps): Promise<APIGatewayProxyResult> {
  const connectionId = event.requestContext.connectionId;
  const logBase = routeLogFields('echo', '$default', event.requestContext);
  const echo = JSON.stringify({ message: event.body ?? '' });
  const echoBytes = Buffer.byteLength(echo, 'utf8');
  const tooLarge = echoBytes > ECHO_MAX_BYTES;
  const outcome = await postToConnection(connectionId, tooLarge ? ECHO_TOO_LARGE_FRAME : echo, deps);
  if (outcome.status === 'gone') {
    try {
      await deps.store.deleteConnection(connectionId);
      deps.log({ ...logBase, outcome: 'gone', attempts: outcome.attempts, rowDeleted: true });
    } catch (err) {
      deps.log({ ...logBase, outcome: 'gone', attempts: outcome.attempts, rowDeleted: false, errorName: errorNameOf(err) });
    }
  } else if (outcome.status === 'failed') {
    deps.log({ ...logBase, outcome: 'failed', attempts: outcome.attempts, errorName: outcome.errorName });
  } else if (tooLarge) {
    deps.log({ ...logBase, outcome: 'too-large', attempts: outcome.attempts, echoBytes });
  } else {
    deps.log({ ...logBase, outcome: 'delivered', attempts: outcome.attempts });
  }
  return { statusCode: 200, body: '' };
}
