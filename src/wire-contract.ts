/**
 * The names and values shared by the construct (src/), the Lambda handlers (lambda/), the local runtime
 * (local/) and the build (.projenrc.ts): table attributes, environment variables, authorizer context keys,
 * defaults both sides apply, handler asset names, and the metadata the construct writes for tools.
 *
 * This module imports nothing, so the handlers can include it in their bundles
 * without pulling in aws-cdk-lib. It is not part of the public jsii API.
 */

/** Attribute and index names of the connections table; the AWS sample's names, kept for compatibility. */
export const ConnectionAttributes = {
  /** Partition key (S): the API Gateway connection id. */
  CONNECTION_ID: 'connectionId',
  /** The Cognito `sub` of the connected user (S). */
  USER_ID: 'userId',
  /** Global secondary index on `userId`, to reach every connection of a user. */
  USER_ID_INDEX: 'userIdIndex',
  /** TTL attribute (N, epoch seconds) after which DynamoDB may drop a forgotten row. */
  REMOVED_AT: 'removedAt',
  /** The `exp` of the token that opened the connection (N, epoch seconds): the connection ends then. */
  EXPIRES_AT: 'expiresAt',
  /** `expiresAt` in whole minutes since the epoch (N): the partition key of `expiryIndex`. */
  EXPIRY_MINUTE: 'expiryMinute',
  /** Global secondary index on `expiryMinute`: the connections whose token expires in a given minute, found without a scan. */
  EXPIRY_INDEX: 'expiryIndex',
} as const;

/** Environment variables the construct sets on its handlers. */
export const HandlerEnvironment = {
  /** Cognito user pool id (authorizer). */
  USER_POOL_ID: 'USER_POOL_ID',
  /** Comma-separated app client ids whose tokens are accepted (authorizer). */
  CLIENT_IDS: 'CLIENT_IDS',
  /** `id` or `access` (authorizer). */
  TOKEN_USE: 'TOKEN_USE',
  /** `querystring`, `header` or `subprotocol` (authorizer, connect). */
  TOKEN_SOURCE_KIND: 'TOKEN_SOURCE_KIND',
  /** Query string parameter or header name that carries the token (authorizer). */
  TOKEN_SOURCE_NAME: 'TOKEN_SOURCE_NAME',
  /** Comma-separated Cognito groups, one of which the user must be in; empty for none (authorizer). */
  REQUIRED_GROUPS: 'REQUIRED_GROUPS',
  /** Space-separated OAuth scopes of which an access token must hold one; empty for none (authorizer). */
  REQUIRED_SCOPES: 'REQUIRED_SCOPES',
  /** Name of the connections table (connect, disconnect). */
  TABLE_NAME: 'TABLE_NAME',
  /** Seconds after connect at which a row's `removedAt` TTL falls (connect). */
  CONNECTION_TTL_SECONDS: 'CONNECTION_TTL_SECONDS',
  /** The most live connections one user may hold; unset for no limit (connect). */
  MAX_CONNECTIONS_PER_USER: 'MAX_CONNECTIONS_PER_USER',
} as const;

/**
 * Environment variables the runtime API's `WebSocketConnections.fromEnvironment()` reads. The construct sets them on
 * the echo, the sweeper, on every route handler (`addRoute`, `defaultRouteHandler`) and on senders (`addSender`);
 * prefixed so that they never overwrite a variable a function sets for its own use.
 */
export const ConnectionsEnvironment = {
  /** Name of the connections table. */
  TABLE_NAME: 'WEBSOCKET_CONNECTIONS_TABLE',
  /** https URL of the stage's @connections management API. */
  CALLBACK_URL: 'WEBSOCKET_CALLBACK_URL',
} as const;

/** Keys of the context the authorizer returns; API Gateway passes it to every route as `requestContext.authorizer`. */
export const AuthorizerContextKeys = {
  /** The token's `sub`. */
  USER_ID: 'userId',
  /** `cognito:username` (ID token) or `username` (access token). */
  USERNAME: 'username',
  /** `cognito:groups`, comma-joined (API Gateway context values must be strings, numbers or booleans). */
  GROUPS: 'groups',
  /** `id` or `access`. */
  TOKEN_USE: 'tokenUse',
  /** The token's `exp`, epoch seconds. */
  EXP: 'exp',
  /** The access token's `scope` claim: its OAuth scopes, space-separated as issued; absent for ID tokens. */
  SCOPE: 'scope',
} as const;

/**
 * The Lambda handlers bundled when the library is built: `lambda/<name>/index.ts` becomes
 * `assets/<name>/index.js`, whose `handler` export the construct deploys.
 */
export const HandlerAssets = {
  AUTHORIZER: 'authorizer',
  CONNECT: 'connect',
  DISCONNECT: 'disconnect',
  ECHO: 'echo',
  /** Closes connections whose token expired, every minute (`closeExpiredConnections`). */
  SWEEPER: 'sweeper',
} as const;

export type HandlerAssetName = typeof HandlerAssets[keyof typeof HandlerAssets];

/**
 * Seconds after connect at which a row's `removedAt` TTL falls when the construct is given no
 * `connectionTtl`: 3 hours, the AWS sample's.
 */
export const DEFAULT_CONNECTION_TTL_SECONDS = 3 * 60 * 60;

/** Where the token travels, as the authorizer reads it from `TOKEN_SOURCE_KIND`. */
export const TokenSourceKinds = {
  QUERY_STRING: 'querystring',
  HEADER: 'header',
  SUBPROTOCOL: 'subprotocol',
} as const;

/** Where the token travels: `querystring`, `header` or `subprotocol`. */
export type TokenSourceKind = typeof TokenSourceKinds[keyof typeof TokenSourceKinds];

/** The query string parameter that carries the token when none is named: the AWS sample's. */
export const DEFAULT_TOKEN_QUERY_STRING_PARAMETER = 'idToken';

/** The header that carries the token when none is named. */
export const DEFAULT_TOKEN_HEADER = 'Authorization';

/**
 * How many minutes back from the current one the sweeper looks for expired connections on each run, so runs that
 * failed or were skipped (a throttled invocation, a deployment) are made up for by the next one.
 */
export const SWEEP_WINDOW_MINUTES = 15;

/** The status the connect handler answers when the user already holds `maxConnectionsPerUser` connections. */
export const TOO_MANY_CONNECTIONS_STATUS = 429;

/** The header that carries the offered subprotocols, and with `subprotocol` the token among them. */
export const SUBPROTOCOL_HEADER = 'Sec-WebSocket-Protocol';

/** The token source the construct configured: where the token travels and under which name. */
export interface TokenSourceSetting {
  readonly kind: TokenSourceKind;
  /** The query string parameter or header that carries the token: `Sec-WebSocket-Protocol` for `subprotocol`. */
  readonly name: string;
}

/** The token's `token_use` claim the authorizer accepts. */
export const TokenUses = {
  ID: 'id',
  ACCESS: 'access',
} as const;

/** `id` or `access`. */
export type TokenUseValue = typeof TokenUses[keyof typeof TokenUses];

/**
 * The type of the cloud assembly metadata entry (`node.addMetadata`, written to the stack's entry in
 * `manifest.json`, never to the template) in which `CognitoAuthorizedWebSocketApi` describes its API to
 * tools that serve it, such as the local runtime. They read it instead of the handlers' environment.
 */
export const API_DESCRIPTION_METADATA_TYPE = 'cdk-cognito-websocket-api:api';

/**
 * The data of that entry. `Reference` is what a resource reference is where it is read: a token string in the
 * construct, a CloudFormation intrinsic (`{ Ref: <logical id> }`) in the synthesized manifest. As in the
 * template, a resource of another stack is an `{ 'Fn::ImportValue': ... }` and an imported one its plain id.
 */
export interface ApiDescription<Reference> {
  /** Bumped when a field changes meaning; readers refuse a version they do not know. */
  readonly version: 1;
  /** The `AWS::ApiGatewayV2::Api` (its `Ref`, the API id). */
  readonly webSocketApi: Reference;
  /** The `$connect` authorizer's function (its `Ref`, the function name). */
  readonly authorizerFunction: Reference;
  /** The user pool whose tokens are accepted (its `Ref`, the pool id). */
  readonly userPool: Reference;
  /** The app clients whose tokens are accepted (their `Ref`s, the client ids). */
  readonly userPoolClients: Reference[];
  readonly tokenUse: TokenUseValue;
  readonly tokenSource: TokenSourceSetting;
  /** Groups of which a user must be in one; empty for none. */
  readonly requiredGroups: string[];
}
