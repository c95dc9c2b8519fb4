/**
 * An authorizer bundle as Lambda runs it for `$connect`: loaded with `require` from its file, then handed the REQUEST
 * event API Gateway sends, with the token where the construct's default identity source reads it.
 */

export interface AuthorizerResult {
  readonly policyDocument: { readonly Statement: ReadonlyArray<{ readonly Effect: string }> };
}

export type AuthorizerHandler = (event: unknown) => Promise<AuthorizerResult>;

export function loadAuthorizer(modulePath: string): AuthorizerHandler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- Lambda's loader requires a CommonJS handler by its path
  return (require(modulePath) as { handler: AuthorizerHandler }).handler;
}

/** The REQUEST authorizer event of one `$connect` with `token` in the `idToken` query string parameter. */
export function connectEvent(token: string, connectionId: string): unknown {
  return {
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:us-east-1:123456789012:bench/prod/$connect',
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: { idToken: token },
    multiValueQueryStringParameters: { idToken: [token] },
    requestContext: { connectionId, routeKey: '$connect' },
  };
}

export function allows(result: AuthorizerResult): boolean {
  return result.policyDocument.Statement[0]?.Effect === 'Allow';
}
