import type { APIGatewayProxyResult } from 'aws-lambda';
import {
  AuthorizerContextKeys, TOO_MANY_CONNECTIONS_STATUS, TokenSourceKind, TokenSourceKinds,
} from '../../src/wire-contract';
import { ConnectionsStore } from '../connections-store';
import { RouteRequestContext, tokenExpiryOf } from '../route-event';
import { errorNameOf, LogWriter } from '../structured-log';
import { chooseSubprotocolToEcho, ConnectRequestTokenSources } from '../token-source';

export interface RegisterConnectionDeps {
  readonly store: Pick<ConnectionsStore, 'putConnection' | 'deleteConnection' | 'countLiveConnections'>;
  /** Epoch milliseconds; injected so tests can fix the time the TTL is computed from. */
  readonly now: () => number;
  readonly ttlSeconds: number;
  readonly tokenSourceKind: TokenSourceKind;
  /** The most live connections one user may hold; `undefined` for no limit. */
  readonly maxConnectionsPerUser?: number;
  readonly log: LogWriter;
}

/** The parts of the $connect integration event this handler reads. */
export type ConnectEvent = ConnectRequestTokenSources & {
  readonly requestContext: RouteRequestContext;
};

/**
 * Records the connection, after the authorizer allowed it. Any non-2xx answer makes API Gateway
 * refuse the connection, so a failed write never leaves a client connected without a row; and a
 * write whose outcome is unknown (a timeout, a lost answer) is undone before refusing, so a refused
 * connection never leaves a row that looks live until its TTL.
 */
export async function registerConnection(event: ConnectEvent, deps: RegisterConnectionDeps): Promise<APIGatewayProxyResult> {
  const connectionId = event.requestContext.connectionId;
  const logBase = { handler: 'connect', route: event.requestContext.routeKey ?? '$connect', connectionId };
  const userId = event.requestContext.authorizer?.[AuthorizerContextKeys.USER_ID];
  if (typeof userId !== 'string' || userId === '') {
    // Only reachable if the route were deployed without the authorizer: refuse rather than record an anonymous row.
    deps.log({ ...logBase, outcome: 'error', reason: 'authorizer-context-missing' });
    return { statusCode: 500, body: 'Internal server error' };
  }
  const nowSeconds = Math.floor(deps.now() / 1000);
  const expiresAt = tokenExpiryOf(event.requestContext);
  if (deps.maxConnectionsPerUser !== undefined) {
    // Counted before the write: two connects at the same moment can both pass (the README says so).
    let live: number;
    try {
      live = await deps.store.countLiveConnections(userId, nowSeconds);
    } catch (err) {
      deps.log({ ...logBase, userId, outcome: 'error', reason: 'store-read-failed', errorName: errorNameOf(err) });
      return { statusCode: 500, body: 'Internal server error' };
    }
    if (live >= deps.maxConnectionsPerUser) {
      deps.log({ ...logBase, userId, outcome: 'refused', reason: 'too-many-connections', live });
      return { statusCode: TOO_MANY_CONNECTIONS_STATUS, body: 'Too many connections' };
    }
  }
  try {
    await deps.store.putConnection({ connectionId, userId, removedAt: nowSeconds + deps.ttlSeconds, expiresAt });
  } catch (err) {
    const rowDeleted = await deleteBestEffort(deps.store, connectionId);
    deps.log({ ...logBase, userId, outcome: 'error', reason: 'store-write-failed', errorName: errorNameOf(err), rowDeleted });
    return { statusCode: 500, body: 'Internal server error' };
  }
  deps.log({ ...logBase, userId, outcome: 'connected' });
  const response: APIGatewayProxyResult = { statusCode: 200, body: '' };
  if (deps.tokenSourceKind === TokenSourceKinds.SUBPROTOCOL) {
    // API Gateway completes the handshake only if the integration echoes one offered protocol.
    const protocol = chooseSubprotocolToEcho(event);
    if (protocol !== undefined) {
      response.headers = { 'Sec-WebSocket-Protocol': protocol };
    }
  }
  return response;
}

/** Deletes the row the failed write may have left; deleting a row that is not there succeeds. */
async function deleteBestEffort(store: Pick<ConnectionsStore, 'deleteConnection'>, connectionId: string): Promise<boolean> {
  try {
    await store.deleteConnection(connectionId);
    return true;
  } catch {
    return false;
  }
}
