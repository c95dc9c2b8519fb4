import { HandlerEnvironment } from '../../src/wire-contract';
import { createManagementApiClient } from '../connection-messenger';
import { ConnectionsStore } from '../connections-store';
import { createDynamoDbClient } from '../dynamodb-client';
import { requiredEnv } from '../handler-environment';
import { writeJsonLogLine } from '../structured-log';
import { echoMessage, EchoEvent } from './echo-message';

// The callback URL comes from the construct, not from the request's domain name, so custom domains work.
const client = createManagementApiClient(requiredEnv(process.env, HandlerEnvironment.CALLBACK_URL));
const store = new ConnectionsStore(createDynamoDbClient(), requiredEnv(process.env, HandlerEnvironment.TABLE_NAME));

export const handler = (event: EchoEvent) => echoMessage(event, { client, store, log: writeJsonLogLine });
