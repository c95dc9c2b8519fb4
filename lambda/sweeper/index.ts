import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HandlerEnvironment, SWEEP_WINDOW_MINUTES } from '../../src/wire-contract';
import { createManagementApiClient } from '../connection-messenger';
import { ConnectionsStore } from '../connections-store';
import { requiredEnv } from '../handler-environment';
import { writeJsonLogLine } from '../structured-log';
import { closeExpiredConnections } from './close-expired-connections';

const client = createManagementApiClient(requiredEnv(process.env, HandlerEnvironment.CALLBACK_URL));
const store = new ConnectionsStore(new DynamoDBClient({}), requiredEnv(process.env, HandlerEnvironment.TABLE_NAME));

// Invoked by an EventBridge schedule every minute; the event carries nothing the sweep needs.
export const handler = async (): Promise<void> => {
  await closeExpiredConnections({
    client, store, now: Date.now, windowMinutes: SWEEP_WINDOW_MINUTES, concurrency: 20, log: writeJsonLogLine,
  });
};
