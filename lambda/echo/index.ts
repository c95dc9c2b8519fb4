import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HandlerEnvironment } from '../../src/wire-contract';
import { ConnectionsStore } from '../connections-store';
import { requiredEnv } from '../handler-environment';
import { writeJsonLogLine } from '../structured-log';
import { echoMessage, EchoEvent } from './echo-message';

// The callback URL comes from the construct, not from the request's domain name, so custom domains work.
// maxAttempts 1: postToConnection owns the retry policy (throttling only, never a 410 or a 500).
const client = new ApiGatewayManagementApiClient({
  endpoint: requiredEnv(process.env, HandlerEnvironment.CALLBACK_URL),
  maxAttempts: 1,
});
const store = new ConnectionsStore(new DynamoDBClient({}), requiredEnv(process.env, HandlerEnvironment.TABLE_NAME));

export const handler = (event: EchoEvent) => echoMessage(event, { client, store, log: writeJsonLogLine });
