import type { APIGatewayProxyResult } from 'aws-lambda';
import type { SendResult, WebSocketConnections } from '../../runtime';
import { RouteRequestContext, routeLogFields } from '../route-event';
import { errorNameOf, LogFields, LogWriter } from '../structured-log';

export interface EchoDeps {
  /** The runtime API, as any sender uses it: it retries throttling and deletes the row of a gone connection. */
  readonly connections: Pick<WebSocketConnections, 'sendToConnection'>;
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
  const logBase = routeLogFields('echo', '$default', event.requestContext);
  try {
    const result = await deps.connections.sendToConnection(event.requestContext.connectionId, JSON.stringify({ message: event.body ?? '' }));
    deps.log({ ...logBase, ...outcomeFields(result) });
  } catch (err) {
    // Thrown before any request: the echo would be larger than API Gateway posts (MessageTooLargeError).
    deps.log({ ...logBase, outcome: 'failed', errorName: errorNameOf(err) });
  }
  return { statusCode: 200, body: '' };
}

function outcomeFields(result: SendResult): LogFields {
  const [failure] = result.failed;
  if (failure) return { outcome: 'failed', reason: failure.reason, statusCode: failure.statusCode, attempts: failure.attempts };
  return { outcome: result.gone.length > 0 ? 'gone' : 'delivered' };
}
