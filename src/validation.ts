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

/** API Gateway v2 stage names: letters, digits, hyphens and underscores, at most 128. */
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
/** API Gateway closes every WebSocket connection after 2 hours. */
const LONGEST_CONNECTION = Duration.hours(2);
const LONGEST_CONNECTION_TTL = Duration.days(7);
/** Cognito group names are at most 128 characters; a comma would split the `REQUIRED_GROUPS` list. */
const GROUP_NAME_MAX_LENGTH = 128;
/** Characters API Gateway accepts in a query string identity source, and that need no URL encoding. */
const QUERY_STRING_NAME = /^[A-Za-z0-9_.~-]{1,128}$/;

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

export function validateHandlerRuntime(runtime: lambda.Runtime): void {
  const major = nodeMajorOf(runtime);
  if (major === undefined || major < OLDEST_HANDLER_NODE_MAJOR) {
    throw new Error(
      `runtime ${runtime.name} is not valid: the bundled handlers need Node.js ${OLDEST_HANDLER_NODE_MAJOR} or newer, ` +
      `e.g. lambda.Runtime.${newestNodeRuntime().name.replace(/^nodejs(\d+)\.x$/, 'NODEJS_$1_X')}, or leave runtime out for the newest`,
    );
  }
}
