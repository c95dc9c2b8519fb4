import { DEFAULT_CONNECTION_TTL_SECONDS, HandlerEnvironment, TokenSourceKind, TokenSourceKinds } from '../../src/wire-contract';
import { ConnectionsStore } from '../connections-store';
import { createDynamoDbClient } from '../dynamodb-client';
import { optionalPositiveInteger, requiredEnv } from '../handler-environment';
import { writeJsonLogLine } from '../structured-log';
import { ConnectEvent, registerConnection } from './register-connection';

const store = new ConnectionsStore(createDynamoDbClient(), requiredEnv(process.env, HandlerEnvironment.TABLE_NAME));
const ttlSeconds = Number(process.env[HandlerEnvironment.CONNECTION_TTL_SECONDS] ?? DEFAULT_CONNECTION_TTL_SECONDS);
if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
  throw new Error(`${HandlerEnvironment.CONNECTION_TTL_SECONDS} must be a positive whole number of seconds`);
}
const maxConnectionsPerUser = optionalPositiveInteger(process.env, HandlerEnvironment.MAX_CONNECTIONS_PER_USER);
const tokenSourceKind = (process.env[HandlerEnvironment.TOKEN_SOURCE_KIND] ?? TokenSourceKinds.QUERY_STRING) as TokenSourceKind;

export const handler = (event: ConnectEvent) => registerConnection(event, {
  store,
  now: Date.now,
  ttlSeconds,
  tokenSourceKind,
  maxConnectionsPerUser,
  log: writeJsonLogLine,
});
