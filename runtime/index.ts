/**
 * `cdk-cognito-websocket-api/runtime`: what a backend (a Lambda function, or any Node.js service) uses to reach the
 * users of a `CognitoAuthorizedWebSocketApi`, and what a route handler uses to know who called it. No aws-cdk-lib:
 * it needs only the AWS SDK's DynamoDB and API Gateway management API clients, which Lambda's Node.js runtimes
 * provide.
 */
export { WebSocketConnections, DEFAULT_CONCURRENCY, DEFAULT_SCAN_SEGMENTS } from './web-socket-connections';
export type { WebSocketConnectionsOptions } from './web-socket-connections';
export { BroadcastIncompleteError } from './fan-out-result';
export type { SendResult, DisconnectResult, FailedConnection } from './fan-out-result';
export type { ConnectionRecord } from './connections-table';
export { MessageTooLargeError, MAX_MESSAGE_BYTES } from './message-payload';
export type { MessageData } from './message-payload';
export { DEFAULT_RETRY_POLICY } from './retry-policy';
export type { RetryPolicy } from './retry-policy';
export { callerIdentity, hasExpired } from './caller-identity';
export type { CallerIdentity, AuthorizedRouteEvent } from './caller-identity';
export { authorizedRoute, REFUSED_ROUTE_RESPONSE } from './authorized-route';
export type { AuthorizedRouteOptions, RouteEvent } from './authorized-route';
