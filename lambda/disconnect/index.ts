import { HandlerEnvironment } from '../../src/wire-contract';
import { ConnectionsStore } from '../connections-store';
import { createDynamoDbClient } from '../dynamodb-client';
import { requiredEnv } from '../handler-environment';
import { writeJsonLogLine } from '../structured-log';
import { DisconnectEvent, unregisterConnection } from './unregister-connection';

const store = new ConnectionsStore(createDynamoDbClient(), requiredEnv(process.env, HandlerEnvironment.TABLE_NAME));

export const handler = (event: DisconnectEvent) => unregisterConnection(event, { store, log: writeJsonLogLine });
