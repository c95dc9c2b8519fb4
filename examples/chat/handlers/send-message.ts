/**
 * The `sendmessage` route: `{"action": "sendmessage", "to": <username>, "text": ...}` from a connected user. The
 * sender is who the authorizer verified at `$connect` (`callerIdentity`), never a name in the message.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ErrorFrame, parseChatRequest } from './chat-protocol';
import { deliverChatMessage } from './deliver-chat-message';
import { CognitoUserDirectory } from './user-directory';
import type { CallerIdentity, RouteEvent } from 'cdk-cognito-websocket-api/runtime';
import { authorizedRoute, WebSocketConnections } from 'cdk-cognito-websocket-api/runtime';

// Module scope: the clients and their sockets live as long as the container.
const connections = WebSocketConnections.fromEnvironment();
const directory = new CognitoUserDirectory(new CognitoIdentityProviderClient({}), process.env.USER_POOL_ID!);

type SendMessageEvent = RouteEvent & { readonly body?: string | null };

// API Gateway keeps a connection up to two hours whatever its token says; this chat does not serve past the token:
// a message after it is refused, the sender told why, and the connection closed.
export const handler = authorizedRoute({
  connections,
  expiredMessage: { type: 'error', message: 'your session expired: reconnect with a fresh token' } satisfies ErrorFrame,
}, sendMessage);

async function sendMessage(event: SendMessageEvent, identity: CallerIdentity): Promise<{ statusCode: number }> {
  const reply = (frame: object) => connections.sendToConnection(event.requestContext.connectionId, frame);
  const request = parseChatRequest(event.body);
  if ('error' in request) {
    await reply({ type: 'error', message: request.error } satisfies ErrorFrame);
    return { statusCode: 200 };
  }
  const delivery = await deliverChatMessage(identity, request.to, request.text, { connections, directory, now: () => new Date() });
  if (delivery.status === 'undelivered') await reply(delivery.frame);
  return { statusCode: 200 };
}
