/**
 * The events API Gateway gives the Lambda functions of a WebSocket API: the REQUEST authorizer's event on
 * `$connect`, and the integration events of `$connect`, `$disconnect` and messages. They are typed with the
 * @types/aws-lambda types the handlers compile against, extended only where API Gateway sends a field those
 * types lack, so the gateway cannot hand a handler a shape it was not written for.
 *
 * Headers and query strings live in objects without a prototype: a client's `__proto__` or `constructor` is an
 * ordinary key, as it is to API Gateway.
 */
import type { IncomingMessage } from 'node:http';
import type {
  APIGatewayAuthorizerResultContext,
  APIGatewayEventWebsocketRequestContextV2,
  APIGatewayProxyEventHeaders,
  APIGatewayProxyEventMultiValueHeaders,
  APIGatewayProxyEventMultiValueQueryStringParameters,
  APIGatewayProxyEventQueryStringParameters,
  APIGatewayProxyWebsocketEventV2WithRequestContext,
  APIGatewayRequestAuthorizerEvent,
} from 'aws-lambda';
import { HEXADECIMAL, randomId } from './ids';

/**
 * The `requestContext` of every WebSocket event. @types/aws-lambda's type lacks `identity`, `authorizer` and the
 * disconnect status, which API Gateway sends, and requires `messageId`, which only MESSAGE events carry.
 */
export interface WebSocketRequestContext extends Omit<APIGatewayEventWebsocketRequestContextV2, 'messageId'> {
  readonly messageId?: string;
  readonly identity: { readonly sourceIp: string; readonly userAgent?: string };
  /** What the authorizer allowed the connection with: its context's values, `principalId` and `integrationLatency`. */
  readonly authorizer?: APIGatewayAuthorizerResultContext;
  readonly disconnectStatusCode?: number;
  readonly disconnectReason?: string;
}

/**
 * The REQUEST authorizer's event on `$connect`. API Gateway gives a WebSocket API's authorizer none of the REST API
 * fields @types/aws-lambda's type also requires (`resource`, `path`, `httpMethod`, `pathParameters`), and a
 * WebSocket `requestContext`.
 */
export type WebSocketAuthorizerEvent = Pick<APIGatewayRequestAuthorizerEvent,
'type' | 'methodArn' | 'headers' | 'multiValueHeaders' | 'queryStringParameters' | 'multiValueQueryStringParameters' | 'stageVariables'>
& { readonly requestContext: WebSocketRequestContext };

/** The integration event of `$connect`, `$disconnect` and messages; @types/aws-lambda's type lacks the handshake's headers. */
export interface WebSocketRouteEvent extends APIGatewayProxyWebsocketEventV2WithRequestContext<WebSocketRequestContext> {
  readonly headers?: APIGatewayProxyEventHeaders;
  readonly multiValueHeaders?: APIGatewayProxyEventMultiValueHeaders;
}

/** The stage the events are for. */
export interface EventStage {
  readonly apiId: string;
  readonly stage: string;
  /** `127.0.0.1:<port>`, where API Gateway names its domain. */
  readonly domainName: string;
}

/** What every event of a connection repeats from its handshake. */
export interface ConnectionFacts {
  readonly connectionId: string;
  /** Epoch milliseconds. */
  readonly connectedAt: number;
  readonly sourceIp: string;
  readonly userAgent?: string;
  readonly headers: APIGatewayProxyEventHeaders;
  readonly multiValueHeaders: APIGatewayProxyEventMultiValueHeaders;
  readonly authorizer?: APIGatewayAuthorizerResultContext;
}

/** The handshake's query string; both undefined when it has none, as API Gateway leaves them out. */
export interface EventQueryString {
  readonly queryStringParameters?: APIGatewayProxyEventQueryStringParameters;
  readonly multiValueQueryStringParameters?: APIGatewayProxyEventMultiValueQueryStringParameters;
}

/** An object with no prototype, so that any key a client sends, `__proto__` included, is an own entry. */
export function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export function authorizerEvent(stage: EventStage, connection: ConnectionFacts, query: EventQueryString,
  methodArn: string): WebSocketAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn,
    headers: connection.headers,
    multiValueHeaders: connection.multiValueHeaders,
    queryStringParameters: query.queryStringParameters ?? dictionary(),
    multiValueQueryStringParameters: query.multiValueQueryStringParameters ?? dictionary(),
    stageVariables: {},
    requestContext: requestContext(stage, { ...connection, authorizer: undefined }, '$connect', 'CONNECT'),
  };
}

export function connectEvent(stage: EventStage, connection: ConnectionFacts, query: EventQueryString): WebSocketRouteEvent {
  return {
    headers: connection.headers,
    multiValueHeaders: connection.multiValueHeaders,
    ...(query.queryStringParameters ? query : {}),
    requestContext: requestContext(stage, connection, '$connect', 'CONNECT'),
    isBase64Encoded: false,
  };
}

export function messageEvent(stage: EventStage, connection: ConnectionFacts, routeKey: string, body: string): WebSocketRouteEvent {
  return {
    requestContext: requestContext(stage, connection, routeKey, 'MESSAGE', { messageId: randomId(16) }),
    body,
    isBase64Encoded: false,
  };
}

export function disconnectEvent(stage: EventStage, connection: ConnectionFacts, statusCode: number, reason: string): WebSocketRouteEvent {
  return {
    headers: connection.headers,
    multiValueHeaders: connection.multiValueHeaders,
    requestContext: requestContext(stage, connection, '$disconnect', 'DISCONNECT', {
      disconnectStatusCode: statusCode,
      disconnectReason: reason,
    }),
    isBase64Encoded: false,
  };
}

function requestContext(stage: EventStage, connection: ConnectionFacts, routeKey: string,
  eventType: WebSocketRequestContext['eventType'], extra: Partial<WebSocketRequestContext> = {}): WebSocketRequestContext {
  const now = new Date();
  return {
    routeKey,
    eventType,
    extendedRequestId: randomId(16),
    requestTime: formatRequestTime(now),
    messageDirection: 'IN',
    stage: stage.stage,
    connectedAt: connection.connectedAt,
    requestTimeEpoch: now.getTime(),
    identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
    requestId: randomId(16),
    domainName: stage.domainName,
    connectionId: connection.connectionId,
    apiId: stage.apiId,
    ...extra,
    ...(connection.authorizer ? { authorizer: connection.authorizer } : {}),
  };
}

/** API Gateway's format: 25/Nov/2026:21:03:04 +0000. */
function formatRequestTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/** The handshake's headers as the client spelled them, plus what API Gateway's front end adds. */
export function handshakeHeaders(request: IncomingMessage, sourceIp: string, port: number):
Pick<ConnectionFacts, 'headers' | 'multiValueHeaders'> {
  const headers = dictionary<string>();
  const multiValueHeaders = dictionary<string[]>();
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = findHeaderName(multiValueHeaders, request.rawHeaders[i]) ?? request.rawHeaders[i];
    (multiValueHeaders[name] ??= []).push(request.rawHeaders[i + 1]);
    headers[name] = request.rawHeaders[i + 1];
  }
  const added: Record<string, string> = {
    'X-Forwarded-For': sourceIp,
    'X-Forwarded-Port': String(port),
    'X-Forwarded-Proto': 'http',
    'X-Amzn-Trace-Id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomId(24, HEXADECIMAL)}`,
  };
  for (const [name, value] of Object.entries(added)) {
    if (findHeaderName(headers, name)) continue;
    headers[name] = value;
    multiValueHeaders[name] = [value];
  }
  return { headers, multiValueHeaders };
}

export function handshakeQueryString(url: URL): EventQueryString {
  if ([...url.searchParams.keys()].length === 0) return {};
  const queryStringParameters = dictionary<string>();
  const multiValueQueryStringParameters = dictionary<string[]>();
  for (const [name, value] of url.searchParams) {
    queryStringParameters[name] = value;
    (multiValueQueryStringParameters[name] ??= []).push(value);
  }
  return { queryStringParameters, multiValueQueryStringParameters };
}

/** The header's name as spelled in `headers` (names are case-insensitive), or undefined when it is absent. */
export function findHeaderName(headers: object, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(headers).find((key) => key.toLowerCase() === lower);
}
