import type { APIGatewayProxyResult } from 'aws-lambda';
import { closeConnection, MessengerDeps, postToConnection } from '../connection-messenger';
import { ConnectionsStore } from '../connections-store';
import { RouteRequestContext, routeLogFields, tokenExpiryOf } from '../route-event';
import { errorNameOf, LogWriter } from '../structured-log';

export interface EchoDeps extends MessengerDeps {
  readonly store: Pick<ConnectionsStore, 'deleteConnection'>;
  readonly log: LogWriter;
  /** Epoch milliseconds; injected so tests can fix the time a token's expiry is compared with. */
  readonly now: () => number;
}

export interface EchoEvent {
  readonly body?: string | null;
  readonly requestContext: RouteRequestContext;
}

/**
 * Sends `{"message": <body>}` back to the sender, the AWS sample's echo. A sender that is already
 * gone has its row deleted at once. A sender whose token has expired (the authorizer's `exp`, which
 * API Gateway passes with every message) gets no answer: its connection is closed and its row deleted.
 * Always 200: the route has no route response, and the outcome is in the log.
 */
export async function echoMessage(event: EchoEvent, deps: EchoDeps): Promise<APIGatewayProxyResult> {
  const connectionId = event.requestContext.connectionId;
  const logBase = routeLogFields('echo', '$default', event.requestContext);
  const expiresAt = tokenExpiryOf(event.requestContext);
  if (expiresAt !== undefined && expiresAt <= Math.floor(deps.now() / 1000)) {
    const closed = await closeConnection(connectionId, deps);
    const rowDeleted = closed.status === 'failed' ? false : await deleteRow(connectionId, deps);
    deps.log({ ...logBase, outcome: 'expired', closed: closed.status, rowDeleted, ...errorOf(closed) });
    return { statusCode: 200, body: '' };
  }
  const outcome = await postToConnection(connectionId, JSON.stringify({ message: event.body ?? '' }), deps);
  if (outcome.status === 'gone') {
    try {
      await deps.store.deleteConnection(connectionId);
      deps.log({ ...logBase, outcome: 'gone', attempts: outcome.attempts, rowDeleted: true });
    } catch (err) {
      deps.log({ ...logBase, outcome: 'gone', attempts: outcome.attempts, rowDeleted: false, errorName: errorNameOf(err) });
    }
  } else if (outcome.status === 'failed') {
    deps.log({ ...logBase, outcome: 'failed', attempts: outcome.attempts, errorName: outcome.errorName });
  } else {
    deps.log({ ...logBase, outcome: 'delivered', attempts: outcome.attempts });
  }
  return { statusCode: 200, body: '' };
}

/** Deletes the row of a connection that is closed or gone; false when the delete failed (its TTL still removes it). */
async function deleteRow(connectionId: string, deps: EchoDeps): Promise<boolean> {
  try {
    await deps.store.deleteConnection(connectionId);
    return true;
  } catch {
    return false;
  }
}

function errorOf(outcome: { status: string; errorName?: string }): { errorName?: string } {
  return outcome.errorName === undefined ? {} : { errorName: outcome.errorName };
}
