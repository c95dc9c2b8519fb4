import type { APIGatewayProxyResult } from 'aws-lambda';
import { MessengerDeps, postToConnection } from '../connection-messenger';
import { ConnectionsStore } from '../connections-store';
import { RouteRequestContext, routeLogFields } from '../route-event';
import { errorNameOf, LogWriter } from '../structured-log';

export interface EchoDeps extends MessengerDeps {
  readonly store: Pick<ConnectionsStore, 'deleteConnection'>;
  readonly log: LogWriter;
}

export interface EchoEvent {
  readonly body?: string | null;
  readonly requestContext: RouteRequestContext;
}

/**
 * Sends `{"message": <body>}` back to the sender, the AWS sample's echo. A sender that is already
 * gone has its row deleted at once. Always 200: the route has no route response, and the outcome
 * is in the log.
 */
export async function echoMessage(event: EchoEvent, deps: EchoDeps): Promise<APIGatewayProxyResult> {
  const connectionId = event.requestContext.connectionId;
  const logBase = routeLogFields('echo', '$default', event.requestContext);
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
