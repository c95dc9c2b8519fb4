import { WebSocketConnections } from '../../runtime';
import { ConnectionsEnvironment, SWEEP_WINDOW_MINUTES } from '../../src/wire-contract';
import { ConnectionsStore } from '../connections-store';
import { createDynamoDbClient } from '../dynamodb-client';
import { requiredEnv } from '../handler-environment';
import { writeJsonLogLine } from '../structured-log';
import { closeExpiredConnections } from './close-expired-connections';

/** DeleteConnection calls in flight at once: also the management API client's socket count. */
const CONCURRENCY = 20;

// Module scope: the clients and their keep-alive sockets live as long as the container. The table and the callback URL
// are the runtime API's variables (WEBSOCKET_CONNECTIONS_TABLE, WEBSOCKET_CALLBACK_URL), which the construct sets.
const dynamoDb = createDynamoDbClient();
const connections = WebSocketConnections.fromEnvironment({ dynamoDb, concurrency: CONCURRENCY });
const store = new ConnectionsStore(dynamoDb, requiredEnv(process.env, ConnectionsEnvironment.TABLE_NAME));

// Invoked by an EventBridge schedule every minute; the event carries nothing the sweep needs.
export const handler = async (): Promise<void> => {
  await closeExpiredConnections({
    connections, store, now: Date.now, windowMinutes: SWEEP_WINDOW_MINUTES, concurrency: CONCURRENCY, log: writeJsonLogLine,
  });
};
