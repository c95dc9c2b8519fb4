/**
 * How API Gateway decides a `$connect` guarded by a REQUEST Lambda authorizer, without the sockets: whether the
 * identity sources are present (if not: 401 without calling the authorizer), what the authorizer's answer means
 * (an `Unauthorized` error: 401; another failure: 500; a policy that does not allow `execute-api:Invoke` on the
 * method ARN: 403), and the context the routes then receive.
 */
import type { APIGatewayAuthorizerResult, APIGatewayAuthorizerResultContext } from 'aws-lambda';

/** What a handshake offers the identity sources. */
export interface IdentitySourceRequest {
  /** Header names as the client spelled them; matched case-insensitively. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly query: URLSearchParams;
}

/** The authorizer's verdict on a `$connect`. */
export type ConnectVerdict =
  | { readonly allowed: true; readonly context: APIGatewayAuthorizerResultContext }
  | { readonly allowed: false; readonly statusCode: 401 | 403 | 500; readonly reason: string };

/** The first identity source the request lacks or leaves empty, or undefined when all are there. */
export function missingIdentitySource(identitySource: readonly string[], request: IdentitySourceRequest): string | undefined {
  return identitySource.find((source) => {
    const value = identitySourceValue(source, request);
    return value === undefined || value === '';
  });
}

/**
 * The value an identity source selects: `route.request.querystring.<name>`, `route.request.header.<name>`;
 * `stageVariables.<name>` is always missing (the local stage has no variables); a `context.<name>` value always exists.
 */
export function identitySourceValue(source: string, request: IdentitySourceRequest): string | undefined {
  const querystring = /^route\.request\.querystring\.(.+)$/.exec(source);
  if (querystring) return request.query.get(querystring[1]) ?? undefined;
  const header = /^route\.request\.header\.(.+)$/.exec(source);
  if (header) {
    const lower = header[1].toLowerCase();
    const name = Object.keys(request.headers).find((key) => key.toLowerCase() === lower);
    return name === undefined ? undefined : request.headers[name];
  }
  return source.startsWith('stageVariables.') ? undefined : 'present';
}

/** What the authorizer's failure means: Lambda authorizers refuse with `throw new Error('Unauthorized')`. */
export function verdictOnFailure(error: unknown): ConnectVerdict {
  const message = typeof error === 'object' && error !== null && 'errorMessage' in error ? error.errorMessage : undefined;
  return message === 'Unauthorized'
    ? { allowed: false, statusCode: 401, reason: 'authorizer: Unauthorized' }
    : { allowed: false, statusCode: 500, reason: 'authorizer failed' };
}

/**
 * What the authorizer's result means for `methodArn`: allowed, with the context API Gateway passes to every route
 * (the result's string, number and boolean context values, `principalId`, `integrationLatency`), or 403.
 */
export function verdictOnResult(result: unknown, methodArn: string): ConnectVerdict {
  const answer = isObject(result) ? result as Partial<Record<keyof APIGatewayAuthorizerResult, unknown>> : {};
  if (!policyAllows(answer.policyDocument, methodArn)) return { allowed: false, statusCode: 403, reason: 'authorizer denied' };
  const context: APIGatewayAuthorizerResultContext = Object.create(null);
  for (const [key, value] of Object.entries(isObject(answer.context) ? answer.context : {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') context[key] = value;
  }
  const principalId = typeof answer.principalId === 'string' ? answer.principalId : undefined;
  return { allowed: true, context: { ...context, principalId, integrationLatency: 0 } };
}

/**
 * IAM's evaluation of a policy document for `execute-api:Invoke` on `methodArn`: an explicit Deny wins, else an
 * Allow is needed. `Statement`, `Action` and `Resource` may each be one value or a list; `*` matches any run of
 * characters and every other character itself.
 */
export function policyAllows(policy: unknown, methodArn: string): boolean {
  const statements = isObject(policy) ? [policy.Statement].flat().filter(isObject) : [];
  const applies = (statement: Record<string, unknown>) =>
    listOf(statement.Action).some((action) => wildcardMatches(action, 'execute-api:Invoke'))
    && listOf(statement.Resource).some((resource) => wildcardMatches(resource, methodArn));
  if (statements.some((statement) => statement.Effect === 'Deny' && applies(statement))) return false;
  return statements.some((statement) => statement.Effect === 'Allow' && applies(statement));
}

function wildcardMatches(pattern: string, value: string): boolean {
  const expression = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${expression}$`).test(value);
}

function listOf(value: unknown): string[] {
  return [value].flat().filter((item): item is string => typeof item === 'string');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
