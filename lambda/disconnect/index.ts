import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HandlerEnvironment } from '../../src/wire-contract';
import { ConnectionsStore } from '../connections-store';
import { requiredEnv } from '../handler-environment';
import { writeJsonLogLine } from '../structured-log';
import { DisconnectEvent, unregisterConnection } from './unregister-connection';

const store = new ConnectionsStore(new DynamoDBClient({}), requiredEnv(process.env, HandlerEnvironment.TABLE_NAME));

export const handler = (event: DisconnectEvent) => unregisterConnection(event, { store, log: writeJsonLogLine });
