import { LogFields } from './structured-log';
import { AuthorizerContextKeys } from '../src/wire-contract';

/** The part of a WebSocket route event's `requestContext` the route handlers read. */
export interface RouteRequestContext {
  readonly connectionId: string;
  readonly routeKey?: string;
  /** The authorizer's context, which API Gateway passes to every route of the connection. */
  readonly authorizer?: Record<string, unknown> | null;
}

/** The ids every log line of a route handler starts with; the user id only when the authorizer gave a string. */
export function routeLogFields(handler: string, defaultRouteKey: string, requestContext: RouteRequestContext): LogFields {
  const userId = requestContext.authorizer?.[AuthorizerContextKeys.USER_ID];
  return {
    handler,
    route: requestContext.routeKey ?? defaultRouteKey,
    connectionId: requestContext.connectionId,
    userId: typeof userId === 'string' ? userId : undefined,
  };
}

/**
 * The `exp` of the token that opened the connection, epoch seconds, from the authorizer's context; API Gateway passes
 * it with every message of the connection. A number, or its decimal string; `undefined` when absent or unreadable.
 */
export function tokenExpiryOf(requestContext: RouteRequestContext): number | undefined {
  const value = requestContext.authorizer?.[AuthorizerContextKeys.EXP];
  const exp = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined;
}
