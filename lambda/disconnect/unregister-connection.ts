import type { APIGatewayProxyResult } from 'aws-lambda';
import { ConnectionsStore } from '../connections-store';
import { RouteRequestContext, routeLogFields } from '../route-event';
import { errorNameOf, LogWriter } from '../structured-log';

export interface UnregisterConnectionDeps {
  readonly store: Pick<ConnectionsStore, 'deleteConnection'>;
  readonly log: LogWriter;
}

export interface DisconnectEvent {
  readonly requestContext: RouteRequestContext;
}

/**
 * Deletes the connection's row. API Gateway ignores $disconnect's answer (the socket is already
 * gone), so a failed delete is logged and answered 500 for the metrics; the row's TTL removes it later.
 */
export async function unregisterConnection(event: DisconnectEvent, deps: UnregisterConnectionDeps): Promise<APIGatewayProxyResult> {
  const connectionId = event.requestContext.connectionId;
  const logBase = routeLogFields('disconnect', '$disconnect', event.requestContext);
  try {
    await deps.store.deleteConnection(connectionId);
  } catch (err) {
    deps.log({ ...logBase, outcome: 'error', reason: 'store-delete-failed', errorName: errorNameOf(err) });
    return { statusCode: 500, body: 'Internal server error' };
  }
  deps.log({ ...logBase, outcome: 'disconnected' });
  return { statusCode: 200, body: '' };
}
