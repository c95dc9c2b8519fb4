/**
 * A route handler that serves a connection only while the token that opened it is valid. API Gateway keeps a
 * WebSocket connection open for up to two hours whatever its token says; the construct's `$default` echo and its
 * sweeper close a connection once its token has expired, and a route of your own wrapped in `authorizedRoute` does
 * the same: a message that arrives after the expiry is refused (your handler never sees it) and its connection closed.
 */
import { AuthorizedRouteEvent, CallerIdentity, callerIdentity, hasExpired } from './caller-identity';
import type { DisconnectResult } from './fan-out-result';
import type { MessageData } from './message-payload';
import type { WebSocketConnections } from './web-socket-connections';

/** A WebSocket route event: the caller's identity and the connection the message came on. */
export type RouteEvent = AuthorizedRouteEvent & { readonly requestContext: { readonly connectionId: string } };

/** What a refused message's handler answers API Gateway: 200, as a route without a route response needs nothing more. */
export const REFUSED_ROUTE_RESPONSE = Object.freeze({ statusCode: 200 });

export interface AuthorizedRouteOptions {
  /** The runtime API the connection is closed with (`disconnect`: DELETE @connections, then its row deleted). */
  readonly connections: Pick<WebSocketConnections, 'disconnect' | 'sendToConnection'>;
  /**
   * Sent to the connection just before it is closed, so the client can tell an expired session from a network
   * failure (the close itself carries no reason).
   * @default - nothing is sent: the client sees only the close
   */
  readonly expiredMessage?: MessageData;
  /**
   * Called after an expired connection was closed (or the close failed: the sweeper tries again), for your log.
   * @default - nothing
   */
  readonly onExpired?: (caller: CallerIdentity, closed: DisconnectResult) => void;
  /**
   * Epoch milliseconds, the time a token's expiry is compared with.
   * @default Date.now
   */
  readonly now?: () => number;
}

/**
 * Wraps `handle` so it runs only for connections whose token has not expired, with the caller's identity. A message
 * on a connection whose token has expired is refused: the connection is closed, its row deleted, and API Gateway
 * gets `REFUSED_ROUTE_RESPONSE`. A context without `exp` counts as expired (fail closed). Like `callerIdentity`, throws
 * on an event without the construct's authorizer context.
 */
export function authorizedRoute<E extends RouteEvent, R>(
  options: AuthorizedRouteOptions,
  handle: (event: E, caller: CallerIdentity) => Promise<R>,
): (event: E) => Promise<R | typeof REFUSED_ROUTE_RESPONSE> {
  const now = options.now ?? Date.now;
  return async (event) => {
    const caller = callerIdentity(event);
    if (!hasExpired(caller, now())) return handle(event, caller);
    const { connectionId } = event.requestContext;
    if (options.expiredMessage !== undefined) await options.connections.sendToConnection(connectionId, options.expiredMessage);
    const closed = await options.connections.disconnect(connectionId);
    options.onExpired?.(caller, closed);
    return REFUSED_ROUTE_RESPONSE;
  };
}
