import {
  accessClaims, acceptedFor, claims, jwks, refusalsFor, TOKEN_CARRIERS, valid, validAccess, VARIANT_ENV, withClaims,
} from './adversarial-token-matrix';
import {
  authorizerEnv, buildAuthorizer, captureStdout, connectEvent, InMemoryJwksTransport, METHOD_ARN,
} from './authorizer-test-kit';
import { createSigningKey, jwksOf, REGION, SECOND_CLIENT_ID, signatureOf, USER_POOL_ID } from './cognito-test-tokens';
import { createAuthorizer } from '../../lambda/authorizer/authorize-connect';
import { readAuthorizerConfig } from '../../lambda/authorizer/authorizer-config';
import { writeJsonLogLine } from '../../lambda/structured-log';
import { ConnectRequestTokenSources } from '../../lambda/token-source';

const inQuery = (token: string): ConnectRequestTokenSources => ({ queryStringParameters: { idToken: token } });

describe('authorizer against the adversarial token matrix', () => {
  const logLines: string[] = [];
  const allTokens = [valid, validAccess, ...TOKEN_CARRIERS.flatMap((carrier) => refusalsFor(carrier).flatMap((refusal) => refusal.tokens))];

  afterAll(() => {
    // THEN across the whole matrix, no log line holds a token or any signature
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) {
      expect(line).not.toContain('eyJ');
      for (const token of allTokens) {
        const signature = signatureOf(token);
        if (signature.length >= 16) {
          expect(line).not.toContain(signature);
        }
      }
    }
  });

  describe.each(TOKEN_CARRIERS.map((carrier) => [carrier.name, carrier] as const))('token in the %s', (_carrierName, carrier) => {
    test.each(refusalsFor(carrier).map((refusal) => [refusal.name, refusal] as const))('refuses: %s', async (_name, refusal) => {
      // GIVEN an authorizer for this token source whose verifier holds the pool's JWKS, and whose JWKS download serves it too
      const transport = InMemoryJwksTransport.serving(jwks);
      const authorize = buildAuthorizer({ env: { ...carrier.env, ...VARIANT_ENV[refusal.variant] }, transport, cachedJwks: jwks });
      // WHEN the $connect request arrives
      const { result, lines } = await captureStdout(() => authorize(connectEvent(refusal.request)));
      logLines.push(...lines);
      // THEN it is denied on this method, with no context, and one log line says why
      expect(result).toEqual({
        principalId: 'unauthorized',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: METHOD_ARN }],
        },
      });
      expect(lines.map((line) => JSON.parse(line))).toEqual([{
        handler: 'authorizer', route: '$connect', connectionId: 'Conn-0001=', outcome: 'deny', reason: refusal.reason,
      }]);
    });

    test.each(acceptedFor(carrier).map((accepted) => [accepted.name, accepted] as const))('accepts: %s', async (_name, accepted) => {
      // GIVEN an authorizer for this token source and configuration
      const env = { ...carrier.env, ...VARIANT_ENV[accepted.variant] };
      const authorize = buildAuthorizer({ env, transport: InMemoryJwksTransport.serving(jwks), cachedJwks: jwks });
      // WHEN a request carries a token it should admit

      const { result, lines } = await captureStdout(() => authorize(connectEvent(accepted.request)));
      logLines.push(...lines);
      // THEN it is allowed, with the user's identity as context
      expect(result.policyDocument.Statement[0]).toEqual({ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: METHOD_ARN });
      expect(result.context).toMatchObject({ userId: claims.sub });
    });
  });

  test('accepts a valid ID token with the user\'s identity as context', async () => {
    const transport = InMemoryJwksTransport.serving(jwks);
    const authorize = buildAuthorizer({ transport, cachedJwks: jwks });
    const { result, lines } = await captureStdout(() => authorize(connectEvent(inQuery(valid))));
    logLines.push(...lines);
    expect(result).toEqual({
      principalId: claims.sub,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: METHOD_ARN }],
      },
      context: { userId: claims.sub, username: 'alice', groups: 'readers,writers', tokenUse: 'id', exp: claims.exp },
    });
    expect(lines.map((line) => JSON.parse(line))).toEqual([{
      handler: 'authorizer', route: '$connect', connectionId: 'Conn-0001=', userId: claims.sub, outcome: 'allow',
    }]);
    // The JWKS given to the verifier was used: nothing was downloaded
    expect(transport.downloads).toBe(0);
  });

  test('accepts a token of any configured app client', async () => {
    const authorize = buildAuthorizer({ transport: InMemoryJwksTransport.serving(jwks), cachedJwks: jwks });
    const { result, lines } = await captureStdout(() => authorize(connectEvent(inQuery(withClaims({ aud: SECOND_CLIENT_ID })))));
    logLines.push(...lines);
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
  });

  test('accepts an access token from an Authorization Bearer header, with `username` as the username and its scopes', async () => {
    const authorize = buildAuthorizer({
      env: { TOKEN_USE: 'access', TOKEN_SOURCE_KIND: 'header', TOKEN_SOURCE_NAME: 'Authorization' },
      transport: InMemoryJwksTransport.serving(jwks),
      cachedJwks: jwks,
    });
    const { result, lines } = await captureStdout(() => authorize(connectEvent({ headers: { authorization: `Bearer ${validAccess}` } })));
    logLines.push(...lines);
    expect(result.context).toEqual({
      userId: claims.sub, username: 'alice', groups: 'readers,writers', tokenUse: 'access', exp: claims.exp, scope: accessClaims.scope,
    });
  });

  test('an access token with no scope claim has an empty scope in the context', async () => {
    const authorize = buildAuthorizer({ env: VARIANT_ENV.access, transport: InMemoryJwksTransport.serving(jwks), cachedJwks: jwks });
    const { result, lines } = await captureStdout(() => authorize(connectEvent(inQuery(withClaims({}, ['scope'], accessClaims)))));
    logLines.push(...lines);
    expect(result.context).toMatchObject({ tokenUse: 'access', scope: '' });
  });

  test('required scopes: the context holds every scope of the token, as issued', async () => {
    const authorize = buildAuthorizer({ env: VARIANT_ENV.scopes, transport: InMemoryJwksTransport.serving(jwks), cachedJwks: jwks });
    const { result, lines } = await captureStdout(() => authorize(connectEvent(inQuery(withClaims({ scope: 'openid chat/write' }, [], accessClaims)))));
    logLines.push(...lines);
    expect(result.context).toMatchObject({ userId: claims.sub, tokenUse: 'access', scope: 'openid chat/write' });
  });

  test('accepts a user in one of the required groups', async () => {
    const authorize = buildAuthorizer({ env: VARIANT_ENV.groups, transport: InMemoryJwksTransport.serving(jwks), cachedJwks: jwks });
    const token = withClaims({ 'cognito:groups': ['readers', 'operators'] });
    const { result, lines } = await captureStdout(() => authorize(connectEvent(inQuery(token))));
    logLines.push(...lines);
    expect(result.context).toMatchObject({ userId: claims.sub, groups: 'readers,operators' });
  });

  test('accepts a key the pool rotated in after the JWKS was cached, downloading the JWKS once', async () => {
    // GIVEN a verifier that cached the old key set, while the pool now publishes the new one
    const transport = InMemoryJwksTransport.serving(jwks);
    const authorize = buildAuthorizer({ transport, cachedJwks: jwksOf(createSigningKey('pool-key-1')) });
    const first = await captureStdout(() => authorize(connectEvent(inQuery(valid))));
    const second = await captureStdout(() => authorize(connectEvent(inQuery(valid))));
    logLines.push(...first.lines, ...second.lines);
    expect(first.result.policyDocument.Statement[0].Effect).toBe('Allow');
    expect(second.result.policyDocument.Statement[0].Effect).toBe('Allow');
    expect(transport.downloads).toBe(1);
  });

  test('an unexpected verifier failure is a Deny whose log names the error class, never its message', async () => {
    const authorize = createAuthorizer({
      config: readAuthorizerConfig(authorizerEnv()),
      verifier: { verify: async (token) => { throw new TypeError(`cannot read ${token}`); } },
      log: writeJsonLogLine,
    });
    const { result, lines } = await captureStdout(() => authorize(connectEvent(inQuery(valid))));
    logLines.push(...lines);
    expect(result.policyDocument.Statement[0].Effect).toBe('Deny');
    expect(JSON.parse(lines[0])).toMatchObject({ outcome: 'deny', reason: 'internal-error', errorName: 'TypeError' });
    expect(lines[0]).not.toContain('cannot read');
  });

  test('a token without a username or groups is allowed with both empty in the context, not absent', async () => {
    // GIVEN a valid ID token of a user in no group, whose pool sends no cognito:username
    const authorize = buildAuthorizer({ transport: InMemoryJwksTransport.serving(jwks), cachedJwks: jwks });
    const token = withClaims({}, ['cognito:username', 'cognito:groups']);
    // WHEN it connects, THEN the routes receive the user id, and empty strings for what the token lacks
    const { result, lines } = await captureStdout(() => authorize(connectEvent(inQuery(token))));
    logLines.push(...lines);
    expect(result.context).toEqual({ userId: claims.sub, username: '', groups: '', tokenUse: 'id', exp: claims.exp });
  });

  test('an event without a request context is still decided, and logged as a $connect', async () => {
    // GIVEN an event as a test console sends it: no requestContext
    const authorize = buildAuthorizer({ transport: InMemoryJwksTransport.serving(jwks), cachedJwks: jwks });
    const { requestContext: _omitted, ...event } = connectEvent(inQuery(valid));
    // WHEN it is authorized, THEN it is allowed, and the log line names the route with no connection id
    const { result, lines } = await captureStdout(() => authorize(event));
    logLines.push(...lines);
    expect(result.policyDocument.Statement[0].Effect).toBe('Allow');
    expect(lines.map((line) => JSON.parse(line))).toEqual([{ handler: 'authorizer', route: '$connect', userId: claims.sub, outcome: 'allow' }]);
  });

  describe('token in Sec-WebSocket-Protocol, beyond the matrix', () => {
    const env = { TOKEN_SOURCE_KIND: 'subprotocol' };
    const cases: Array<[string, string, string]> = [
      // The connect handler could only answer with the token, which would copy it into a response header.
      ['a token without an application protocol to answer with', valid, 'subprotocol-missing'],
      ['protocols without a token', 'chat, json', 'token-missing'],
    ];
    test.each(cases)('refuses: %s', async (_name, header, reason) => {
      const authorize = buildAuthorizer({ env, transport: InMemoryJwksTransport.serving(jwks), cachedJwks: jwks });
      const { result, lines } = await captureStdout(() => authorize(connectEvent({ headers: { 'Sec-WebSocket-Protocol': header } })));
      logLines.push(...lines);
      expect(result.policyDocument.Statement[0].Effect).toBe('Deny');
      expect(JSON.parse(lines[0]).reason).toBe(reason);
    });

    test('accepts the token first and the application protocol after it', async () => {
      const authorize = buildAuthorizer({ env, transport: InMemoryJwksTransport.serving(jwks), cachedJwks: jwks });
      const { result, lines } = await captureStdout(() => authorize(connectEvent({
        headers: { 'Sec-WebSocket-Protocol': `${valid}, chat.v1` },
      })));
      logLines.push(...lines);
      expect(result.context).toMatchObject({ userId: claims.sub, tokenUse: 'id' });
    });
  });

  test('a named header is found whatever the case of its name', async () => {
    const env = { TOKEN_SOURCE_KIND: 'header', TOKEN_SOURCE_NAME: 'X-Id-Token' };
    const authorize = buildAuthorizer({ env, transport: InMemoryJwksTransport.serving(jwks), cachedJwks: jwks });
    const { result, lines } = await captureStdout(() => authorize(connectEvent({ headers: { 'x-id-TOKEN': valid } })));
    logLines.push(...lines);
    expect(result.policyDocument.Statement[0].Effect).toBe('Allow');
  });
});

test('the test pool is the one the tokens name', () => {
  // Guards the matrix itself: the "valid" token must be valid for the configured pool.
  expect(claims.iss).toBe(`https://cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`);
});
