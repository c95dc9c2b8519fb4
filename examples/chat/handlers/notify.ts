/**
 * A backend outside the WebSocket API: `POST {"to": <username>, "text": ...}` behind a Lambda function URL, with a
 * user's Cognito ID token as `Authorization: Bearer <token>`, sends a notification to every device of the recipient.
 * Answers `{"delivered": <devices reached>}`, 404 for an unknown user, 401 without a valid token.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { NotificationFrame, parseChatRequest } from './chat-protocol';
import { CognitoUserDirectory } from './user-directory';
import { WebSocketConnections } from 'cdk-cognito-websocket-api/runtime';

const connections = WebSocketConnections.fromEnvironment();
const directory = new CognitoUserDirectory(new CognitoIdentityProviderClient({}), process.env.USER_POOL_ID!);
// Module scope: the pool's keys are fetched once per container.
const verifier = CognitoJwtVerifier.create({ userPoolId: process.env.USER_POOL_ID!, clientId: process.env.USER_POOL_CLIENT_ID!, tokenUse: 'id' });

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const token = /^Bearer (\S+)$/i.exec(event.headers.authorization ?? '')?.[1];
  let sender: string;
  try {
    sender = String((await verifier.verify(token ?? ''))['cognito:username']);
  } catch {
    // Never the verifier's reason: it helps an attacker, not the caller.
    return json(401, { message: 'a valid ID token is required: Authorization: Bearer <token>' });
  }
  const body = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const request = parseChatRequest(body);
  if ('error' in request) return json(400, { message: request.error });
  const recipientId = await directory.userIdOf(request.to);
  if (!recipientId) return json(404, { message: `no user named ${request.to}` });
  const frame: NotificationFrame = { type: 'notification', from: sender, text: request.text, sentAt: new Date().toISOString() };
  const result = await connections.sendToUser(recipientId, frame);
  return json(200, { delivered: result.delivered.length });
}

function json(statusCode: number, body: object): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
