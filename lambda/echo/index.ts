import { WebSocketConnections } from '../../runtime';
import { createDynamoDbClient } from '../dynamodb-client';
import { writeJsonLogLine } from '../structured-log';
import { echoMessage, EchoEvent } from './echo-message';

// Module scope: the clients and their keep-alive sockets live as long as the container. The table and the callback URL
// come from the construct (WEBSOCKET_CONNECTIONS_TABLE, WEBSOCKET_CALLBACK_URL), not from the request's domain name,
// so custom domains work. The DynamoDB client times out below the function timeout (lambda/dynamodb-client.ts).
const connections = WebSocketConnections.fromEnvironment({ dynamoDb: createDynamoDbClient() });

export const handler = (event: EchoEvent) => echoMessage(event, { connections, log: writeJsonLogLine, now: Date.now });
