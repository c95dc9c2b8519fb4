/**
 * Checks of the construct's props, run in the constructor so a mistake fails `cdk synth` with a
 * message that names the prop, the value, the rule and a fix. Values that are tokens are let through
 * where only deployment can know them.
 */
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { newestNodeRuntime, nodeMajorOf, OLDEST_HANDLER_NODE_MAJOR } from './handler-runtime';
import { TokenUses } from './wire-contract';

/** API Gateway v2 stage names: letters, digits, hyphens and underscores, at most 128. */
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
/** API Gateway closes every WebSocket connection after 2 hours. */
const LONGEST_CONNECTION = Duration.hours(2);
const LONGEST_CONNECTION_TTL = Duration.days(7);
/** Cognito group names are at most 128 characters; a comma would split the `REQUIRED_GROUPS` list. */
const GROUP_NAME_MAX_LENGTH = 128;
/** Characters API Gateway accepts in a query string identity source, and that need no URL encoding. */
const QUERY_STRING_NAME = /^[A-Za-z0-9_.~-]{1,128}$/;
/** An HTTP header name (RFC 9110 token characters); API Gateway's identity source name is at most 128 characters. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/;
/**
 * Headers of the WebSocket handshake itself, or that the browser sets, which cannot carry a client's token
 * (lower-cased), and why.
 */
const HEADERS_THAT_CANNOT_CARRY_A_TOKEN: Record<string, string> = {
  'sec-websocket-protocol': 'it carries the subprotocols the client offers',
  'sec-websocket-key': 'it is the handshake\'s nonce',
  'sec-websocket-version': 'it is the handshake\'s protocol version',
  'sec-websocket-extensions': 'it negotiates the handshake\'s extensions',
  'host': 'it names the API\'s host',
  'connection': 'it is part of the handshake',
  'upgrade': 'it is part of the handshake',
  'origin': 'the browser sets it',
  'cookie': 'it holds name=value pairs, not one token',
};

const SCOPE_MAX_LENGTH = 256;
/** An OAuth scope-token (RFC 6749, section 3.3): printable ASCII except space, `"` and backslash. */
const SCOPE_TOKEN = new RegExp(`^[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,${SCOPE_MAX_LENGTH}}$`);

/** Routes the construct owns; a user's handler goes on `$default` through `defaultRouteHandler`. */
const RESERVED_ROUTES = ['$connect', '$disconnect', '$default'];

export function validateStageName(stageName: string): void {
  if (!Token.isUnresolved(stageName) && !STAGE_NAME.test(stageName)) {
    throw new Error(`stageName '${stageName}' is not valid: use 1 to 128 letters, digits, hyphens or underscores, e.g. 'prod'`);
  }
}

export function validateConnectionTtl(ttl: Duration): void {
  if (ttl.isUnresolved()) {
    throw new Error('connectionTtl must be a literal duration, e.g. Duration.hours(3): the handlers need its number of seconds');
  }
  const seconds = ttl.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < LONGEST_CONNECTION.toSeconds() || seconds > LONGEST_CONNECTION_TTL.toSeconds()) {
    throw new Error(
      `connectionTtl is ${ttl.toHumanString()}: use whole seconds from 2 hours (API Gateway's longest connection, ` +
      'so the row of a live connection never expires) to 7 days, e.g. Duration.hours(3)',
    );
  }
}

export function validateRequiredGroups(groups: string[] | undefined): void {
  if (groups === undefined) return;
  if (groups.length === 0) {
    throw new Error('requiredGroups is empty, which would admit nobody: list at least one group, or omit requiredGroups to admit every user');
  }
  for (const group of groups) {
    if (group.trim() === '' || group !== group.trim() || group.includes(',') || group.length > GROUP_NAME_MAX_LENGTH) {
      throw new Error(
        `requiredGroups entry '${group}' is not a Cognito group name: use 1 to ${GROUP_NAME_MAX_LENGTH} characters ` +
        'without commas or surrounding whitespace',
      );
    }
  }
}

/**
 * OAuth scopes of which an access token must hold one; only access tokens carry scopes. A scope that is a token (a
 * resource server's identifier) is let through: only deployment knows it.
 */
export function validateRequiredScopes(scopes: string[] | undefined, tokenUse: string): void {
  if (scopes === undefined) return;
  if (tokenUse !== TokenUses.ACCESS) {
    throw new Error(
      `requiredScopes [${scopes.map((scope) => `'${scope}'`).join(', ')}] needs access tokens, and tokenUse is TokenUse.ID: ID tokens carry no ` +
      'scopes, so every connection would be refused. Set tokenUse: TokenUse.ACCESS (clients then connect with their access ' +
      'token), or omit requiredScopes',
    );
  }
  if (scopes.length === 0) {
    throw new Error('requiredScopes is empty, which would admit nobody: list at least one scope, or omit requiredScopes to admit any access token');
  }
  for (const scope of scopes) {
    if (!Token.isUnresolved(scope) && !SCOPE_TOKEN.test(scope)) {
      throw new Error(
        `requiredScopes entry '${scope}' is not an OAuth scope: use 1 to ${SCOPE_MAX_LENGTH} printable characters without spaces, ` +
        'quotes or backslashes, e.g. \'chat/read\' (resource server identifier/scope name)',
      );
    }
  }
}

export function validateThrottle(throttle: apigwv2.ThrottleSettings): void {
  const { rateLimit, burstLimit } = throttle;
  if (rateLimit !== undefined && !Token.isUnresolved(rateLimit) && !(rateLimit > 0)) {
    throw new Error(`throttle.rateLimit is ${rateLimit}: use a number of requests per second above 0`);
  }
  if (burstLimit !== undefined && !Token.isUnresolved(burstLimit) && !(Number.isInteger(burstLimit) && burstLimit > 0)) {
    throw new Error(`throttle.burstLimit is ${burstLimit}: use a whole number of requests above 0`);
  }
}

/** Throws when a client is checkably of another pool (both ids resolvable in this stack). */
export function validateUserPoolClients(scope: IConstruct, userPool: cognito.IUserPool, clients: cognito.IUserPoolClient[]): void {
  if (clients.length === 0) {
    throw new Error('userPoolClients is empty, which would admit nobody: list at least one app client, or omit it to have one created');
  }
  const stack = Stack.of(scope);
  const poolId = JSON.stringify(stack.resolve(userPool.userPoolId));
  for (const client of clients) {
    const cfnClient = client.node.defaultChild;
    if (cfnClient instanceof cognito.CfnUserPoolClient) {
      const clientPoolId = JSON.stringify(Stack.of(cfnClient).resolve(cfnClient.userPoolId));
      if (Stack.of(cfnClient) === stack && clientPoolId !== poolId) {
        throw new Error(
          `userPoolClients: app client '${client.node.path}' belongs to another user pool than userPool; ` +
          'pass clients created on userPool (userPool.addClient(...))',
        );
      }
    }
  }
}

/** The key of a route `addRoute` may add: the value of a message's `action`, not one of the routes the construct owns. */
export function validateRouteKey(routeKey: string): void {
  if (RESERVED_ROUTES.includes(routeKey)) {
    throw new Error(
      `addRoute('${routeKey}'): the construct owns ${RESERVED_ROUTES.join(', ')}; ` +
      'pass your $default handler as the defaultRouteHandler prop, and route other actions by their own key',
    );
  }
  if (routeKey.trim() === '' || routeKey.startsWith('$')) {
    throw new Error(`addRoute('${routeKey}'): a route key must be the non-empty value of the message's action, not starting with $`);
  }
}

export function validateTokenQueryStringName(name: string): void {
  if (!QUERY_STRING_NAME.test(name)) {
    throw new Error(
      `tokenSource: TokenSource.queryString('${name}') is not a usable query string parameter name; ` +
      'use 1 to 128 of the characters A-Z a-z 0-9 _ . ~ -, e.g. TokenSource.queryString(\'idToken\')',
    );
  }
}

export function validateTokenHeaderName(name: string): void {
  if (!HEADER_NAME.test(name)) {
    throw new Error(
      `tokenSource: TokenSource.header('${name}') is not a usable header name; use 1 to 128 letters, digits or ` +
      '!#$%&\'*+.^_`|~- (no spaces or colons), e.g. TokenSource.header(\'Authorization\')',
    );
  }
  const reason = HEADERS_THAT_CANNOT_CARRY_A_TOKEN[name.toLowerCase()];
  if (reason) {
    const fix = name.toLowerCase() === 'sec-websocket-protocol'
      ? 'use TokenSource.subprotocol(), which answers with the application protocol and never echoes the token'
      : 'name a header of your own, e.g. TokenSource.header(\'Authorization\')';
    throw new Error(`tokenSource: TokenSource.header('${name}') cannot carry the token: ${reason}; ${fix}`);
  }
}

export function validateMaxConnectionsPerUser(limit: number | undefined): void {
  if (limit === undefined || Token.isUnresolved(limit)) return;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(
      `maxConnectionsPerUser ${limit} is not a whole number of at least 1; give the most connections one user may hold at once ` +
      '(e.g. 5), or omit maxConnectionsPerUser for no limit',
    );
  }
}

export function validateHandlerRuntime(runtime: lambda.Runtime): void {
  const major = nodeMajorOf(runtime);
  if (major === undefined || major < OLDEST_HANDLER_NODE_MAJOR) {
    throw new Error(
      `runtime ${runtime.name} is not valid: the bundled handlers need Node.js ${OLDEST_HANDLER_NODE_MAJOR} or newer, ` +
      `e.g. lambda.Runtime.${newestNodeRuntime().name.replace(/^nodejs(\d+)\.x$/, 'NODEJS_$1_X')}, or leave runtime out for the newest`,
    );
  }
}
