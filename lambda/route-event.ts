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
