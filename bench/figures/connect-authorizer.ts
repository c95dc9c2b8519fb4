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

/**
 * The headers of a browser's WebSocket handshake as API Gateway passes them to the authorizer, with those its front end
 * adds: the authorizer reads every one of them (a token in another token source is refused), so the benchmark's event
 * carries them, as a real `$connect` does.
 */
const HANDSHAKE_HEADERS: Record<string, string> = {
  'Host': 'abcdef1234.execute-api.us-east-1.amazonaws.com',
  'Origin': 'https://app.example.com',
  'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'Sec-WebSocket-Version': '13',
  'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Accept-Encoding': 'gzip, deflate, br, zstd',
  'Accept-Language': 'en-GB,en;q=0.9',
  'Cache-Control': 'no-cache',
  'Pragma': 'no-cache',
  'X-Amzn-Trace-Id': 'Root=1-674d6a2b-0123456789abcdef01234567',
  'X-Forwarded-For': '203.0.113.7',
  'X-Forwarded-Port': '443',
  'X-Forwarded-Proto': 'https',
};

/** The REQUEST authorizer event of one `$connect` with `token` in the `idToken` query string parameter. */
export function connectEvent(token: string, connectionId: string): unknown {
  return {
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:us-east-1:123456789012:bench/prod/$connect',
    headers: { ...HANDSHAKE_HEADERS },
    multiValueHeaders: Object.fromEntries(Object.entries(HANDSHAKE_HEADERS).map(([name, value]) => [name, [value]])),
    queryStringParameters: { idToken: token },
    multiValueQueryStringParameters: { idToken: [token] },
    requestContext: { connectionId, routeKey: '$connect' },
  };
}

export function allows(result: AuthorizerResult): boolean {
  return result.policyDocument.Statement[0]?.Effect === 'Allow';
}
