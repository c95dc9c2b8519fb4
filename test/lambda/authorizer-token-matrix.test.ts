import {
  authorizerEnv, buildAuthorizer, captureStdout, connectEvent, InMemoryJwksTransport, METHOD_ARN,
} from './authorizer-test-kit';
import {
  base64url, cognitoClaims, createSigningKey, ISSUER, jwksOf, OTHER_CLIENT_ID, REGION, rs256Header, SECOND_CLIENT_ID,
  signatureOf, signJwt, USER_POOL_ID,
} from './cognito-test-tokens';
import { createAuthorizer } from '../../lambda/authorizer/authorize-connect';
import { readAuthorizerConfig } from '../../lambda/authorizer/authorizer-config';
import { writeJsonLogLine } from '../../lambda/structured-log';
import { ConnectRequestTokenSources } from '../../lambda/token-source';

// GIVEN the pool's current signing key (in the JWKS), a key it rotated out, and an attacker's key
const poolKey = createSigningKey('pool-key-2');
const rotatedOutKey = createSigningKey('pool-key-1');
const attackerKey = createSigningKey('attacker-key');
const attackerKeyWithPoolKid = { ...attackerKey, kid: poolKey.kid };
const jwks = jwksOf(poolKey);

const claims = cognitoClaims();
const valid = signJwt(rs256Header(poolKey), claims, poolKey);
const validAccess = signJwt(rs256Header(poolKey), cognitoClaims({ tokenUse: 'access' }), poolKey);
const [validHeader, validPayload, validSignature] = valid.split('.');
const withClaims = (changes: Record<string, unknown>, remove: string[] = []) => {
  const payload: Record<string, unknown> = { ...claims, ...changes };
  for (const name of remove) {
    delete payload[name];
  }
  return signJwt(rs256Header(poolKey), payload, poolKey);
};
const now = Math.floor(Date.now() / 1000);
const publicKeyPem = poolKey.publicKey.export({ format: 'pem', type: 'spki' }) as string;

const inQuery = (token: string): ConnectRequestTokenSources => ({ queryStringParameters: { idToken: token } });

type AuthorizerVariant = 'id' | 'access' | 'groups';
const VARIANT_ENV: Record<AuthorizerVariant, Record<string, string>> = {
  id: {},
  access: { TOKEN_USE: 'access' },
  groups: { REQUIRED_GROUPS: 'admins, operators' },
};

interface RefusalCase {
  readonly name: string;
  readonly carriers: ConnectRequestTokenSources;
  readonly reason: string;
  readonly variant?: AuthorizerVariant;
}

/**
 * The adversarial token matrix: every malformed, forged, misdirected or expired token the authorizer can meet. Each
 * is refused with a Deny on $connect and one log line giving the reason, and no log line holds the token.
 */
const REFUSALS: RefusalCase[] = [
  { name: 'missing token', carriers: {}, reason: 'token-missing' },
  { name: 'other query parameters only', carriers: { queryStringParameters: { token: 'x' } }, reason: 'token-missing' },
  { name: 'empty string', carriers: inQuery(''), reason: 'token-empty' },
  { name: 'whitespace', carriers: inQuery('   \t '), reason: 'token-empty' },
  { name: 'garbage', carriers: inQuery('not a token at all'), reason: 'token-malformed' },
  { name: '1 part', carriers: inQuery(validHeader), reason: 'token-malformed' },
  { name: '2 parts', carriers: inQuery(`${validHeader}.${validPayload}`), reason: 'token-malformed' },
  { name: '4 parts', carriers: inQuery(`${valid}.${validSignature}`), reason: 'token-malformed' },
  { name: '5 parts', carriers: inQuery(`${valid}.${validPayload}.${validSignature}`), reason: 'token-malformed' },
  { name: 'Bearer prefix in the query string', carriers: inQuery(`Bearer ${valid}`), reason: 'token-bearer-prefix' },
  // aws-jwt-verify refuses `none` (and its empty signature) while parsing, before any key is looked up.
  { name: 'alg none', carriers: inQuery(signJwt({ kid: poolKey.kid, alg: 'none' }, claims, poolKey)), reason: 'token-malformed' },
  {
    name: 'HS256 signed with the public key as secret',
    carriers: inQuery(signJwt({ kid: poolKey.kid, alg: 'HS256' }, claims, poolKey, publicKeyPem)),
    reason: 'algorithm-invalid',
  },
  { name: 'RS384', carriers: inQuery(signJwt({ kid: poolKey.kid, alg: 'RS384' }, claims, poolKey)), reason: 'algorithm-invalid' },
  { name: 'RS512', carriers: inQuery(signJwt({ kid: poolKey.kid, alg: 'RS512' }, claims, poolKey)), reason: 'algorithm-invalid' },
  { name: 'no kid', carriers: inQuery(signJwt({ alg: 'RS256' }, claims, poolKey)), reason: 'kid-missing' },
  { name: 'unknown kid', carriers: inQuery(signJwt({ kid: 'no-such-key', alg: 'RS256' }, claims, poolKey)), reason: 'kid-unknown' },
  {
    name: 'kid with path characters',
    carriers: inQuery(signJwt({ kid: '../../../../etc/passwd', alg: 'RS256' }, claims, poolKey)),
    reason: 'kid-unknown',
  },
  {
    name: 'kid with SQL characters',
    carriers: inQuery(signJwt({ kid: "' OR '1'='1' --", alg: 'RS256' }, claims, poolKey)),
    reason: 'kid-unknown',
  },
  {
    name: 'jku header pointing at the attacker\'s key set',
    carriers: inQuery(signJwt({ ...rs256Header(attackerKeyWithPoolKid), jku: 'https://attacker.example/jwks.json' }, claims, attackerKeyWithPoolKid)),
    reason: 'signature-invalid',
  },
  {
    name: 'x5u header pointing at the attacker\'s certificate',
    carriers: inQuery(signJwt({ ...rs256Header(attackerKeyWithPoolKid), x5u: 'https://attacker.example/cert.pem' }, claims, attackerKeyWithPoolKid)),
    reason: 'signature-invalid',
  },
  {
    name: 'signed by another key pair (with the pool key\'s kid)',
    carriers: inQuery(signJwt(rs256Header(attackerKeyWithPoolKid), claims, attackerKeyWithPoolKid)),
    reason: 'signature-invalid',
  },
  {
    name: 'payload changed after signing',
    carriers: inQuery(`${validHeader}.${base64url(JSON.stringify({ ...claims, sub: 'someone-else' }))}.${validSignature}`),
    reason: 'signature-invalid',
  },
  { name: 'signature truncated', carriers: inQuery(valid.slice(0, -10)), reason: 'signature-invalid' },
  { name: 'expired', carriers: inQuery(withClaims({ exp: now - 60, iat: now - 3660 })), reason: 'token-expired' },
  { name: 'nbf in the future', carriers: inQuery(withClaims({ nbf: now + 600 })), reason: 'token-not-yet-valid' },
  {
    name: 'issuer of another pool',
    carriers: inQuery(withClaims({ iss: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_OtherPool` })),
    reason: 'issuer-invalid',
  },
  {
    name: 'issuer of another region',
    carriers: inQuery(withClaims({ iss: ISSUER.replace(`.${REGION}.`, '.us-east-1.') })),
    reason: 'issuer-invalid',
  },
  { name: 'audience of another app client', carriers: inQuery(withClaims({ aud: OTHER_CLIENT_ID })), reason: 'client-invalid' },
  {
    name: 'aud as an array containing ours and others',
    carriers: inQuery(withClaims({ aud: [claims.aud, OTHER_CLIENT_ID] })),
    reason: 'client-invalid',
  },
  { name: 'access token where ID is required', carriers: inQuery(validAccess), reason: 'token-use-invalid' },
  {
    name: 'ID token where access is required',
    carriers: inQuery(valid),
    reason: 'token-use-invalid',
    variant: 'access',
  },
  { name: 'no exp', carriers: inQuery(withClaims({}, ['exp'])), reason: 'claim-missing' },
  { name: 'no iss', carriers: inQuery(withClaims({}, ['iss'])), reason: 'issuer-invalid' },
  { name: 'no sub', carriers: inQuery(withClaims({}, ['sub'])), reason: 'claim-missing' },
  { name: 'empty sub', carriers: inQuery(withClaims({ sub: '' })), reason: 'claim-missing' },
  { name: 'token_use missing', carriers: inQuery(withClaims({}, ['token_use'])), reason: 'token-use-invalid' },
  { name: 'user not in a required group', carriers: inQuery(valid), reason: 'group-missing', variant: 'groups' },
  { name: 'user in no group at all', carriers: inQuery(withClaims({}, ['cognito:groups'])), reason: 'group-missing', variant: 'groups' },
  {
    name: 'token over 8 KB',
    carriers: inQuery(withClaims({ padding: 'x'.repeat(8 * 1024) })),
    reason: 'token-too-large',
  },
  // 8 KB itself is within the limit: refused here only because it is no JWT
  { name: 'a value of exactly 8 KB', carriers: inQuery('x'.repeat(8 * 1024)), reason: 'token-malformed' },
  {
    name: 'the parameter given twice',
    carriers: { queryStringParameters: { idToken: valid }, multiValueQueryStringParameters: { idToken: [valid, valid] } },
    reason: 'token-repeated',
  },
  {
    name: 'token in the Authorization header and the query string',
    carriers: { queryStringParameters: { idToken: valid }, headers: { authorization: `Bearer ${valid}` } },
    reason: 'token-in-other-carrier',
  },
  {
    name: 'token in a same-named header and the query string',
    carriers: { queryStringParameters: { idToken: valid }, headers: { IdToken: valid } },
    reason: 'token-in-other-carrier',
  },
  {
    name: 'token in Sec-WebSocket-Protocol and the query string',
    carriers: { queryStringParameters: { idToken: valid }, headers: { 'Sec-WebSocket-Protocol': `chat, ${valid}` } },
    reason: 'token-in-other-carrier',
  },
  {
    name: 'token under another query parameter too',
    carriers: { queryStringParameters: { idToken: valid, access_token: validAccess } },
    reason: 'token-in-other-carrier',
  },
  {
    name: 'token from a key the pool rotated out of its JWKS',
    carriers: inQuery(signJwt(rs256Header(rotatedOutKey), claims, rotatedOutKey)),
    reason: 'kid-unknown',
  },
];

describe('authorizer against the adversarial token matrix', () => {
  const logLines: string[] = [];
  const allTokens = [valid, validAccess, ...REFUSALS.flatMap((c) => Object.values(c.carriers.queryStringParameters ?? {}))];

  afterAll(() => {
    // THEN across the whole matrix, no log line holds a token or any signature
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) {
      expect(line).not.toContain('eyJ');
      for (const token of allTokens) {
        const signature = signatureOf(token ?? '');
        if (signature.length >= 16) {
          expect(line).not.toContain(signature);
        }
      }
    }
  });

  test.each(REFUSALS.map((c) => [c.name, c] as const))('refuses: %s', async (_name, refusal) => {
    // GIVEN an authorizer whose verifier holds the pool's JWKS, and whose JWKS download serves it too
    const transport = InMemoryJwksTransport.serving(jwks);
    const authorize = buildAuthorizer({ env: VARIANT_ENV[refusal.variant ?? 'id'], transport, cachedJwks: jwks });
    // WHEN the $connect request arrives
    const { result, lines } = await captureStdout(() => authorize(connectEvent(refusal.carriers)));
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

  test('accepts an access token from an Authorization Bearer header, with `username` as the username', async () => {
    const authorize = buildAuthorizer({
      env: { TOKEN_USE: 'access', TOKEN_SOURCE_KIND: 'header', TOKEN_SOURCE_NAME: 'Authorization' },
      transport: InMemoryJwksTransport.serving(jwks),
      cachedJwks: jwks,
    });
    const { result, lines } = await captureStdout(() => authorize(connectEvent({ headers: { authorization: `Bearer ${validAccess}` } })));
    logLines.push(...lines);
    expect(result.context).toEqual({
      userId: claims.sub, username: 'alice', groups: 'readers,writers', tokenUse: 'access', exp: claims.exp,
    });
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
    const authorize = buildAuthorizer({ transport, cachedJwks: jwksOf(rotatedOutKey) });
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

  describe('token in Sec-WebSocket-Protocol', () => {
    const env = { TOKEN_SOURCE_KIND: 'subprotocol' };
    const cases: Array<[string, string | undefined, string]> = [
      ['token without an application protocol to echo', valid, 'subprotocol-missing'],
      ['two tokens', `chat, ${valid}, ${valid}`, 'token-repeated'],
      ['no token, only protocols', 'chat, json', 'token-missing'],
      ['no header', undefined, 'token-missing'],
    ];
    test.each(cases)('refuses: %s', async (_name, header, reason) => {
      const authorize = buildAuthorizer({ env, transport: InMemoryJwksTransport.serving(jwks), cachedJwks: jwks });
      const carriers = header === undefined ? {} : { headers: { 'Sec-WebSocket-Protocol': header } };
      const { result, lines } = await captureStdout(() => authorize(connectEvent(carriers)));
      logLines.push(...lines);
      expect(result.policyDocument.Statement[0].Effect).toBe('Deny');
      expect(JSON.parse(lines[0]).reason).toBe(reason);
    });

    test('refuses a token also present in the query string', async () => {
      const authorize = buildAuthorizer({ env, transport: InMemoryJwksTransport.serving(jwks), cachedJwks: jwks });
      const { result, lines } = await captureStdout(() => authorize(connectEvent({
        headers: { 'Sec-WebSocket-Protocol': `chat, ${valid}` }, queryStringParameters: { idToken: valid },
      })));
      logLines.push(...lines);
      expect(result.policyDocument.Statement[0].Effect).toBe('Deny');
      expect(JSON.parse(lines[0]).reason).toBe('token-in-other-carrier');
    });

    test('accepts the token beside an application protocol', async () => {
      const authorize = buildAuthorizer({ env, transport: InMemoryJwksTransport.serving(jwks), cachedJwks: jwks });
      const { result, lines } = await captureStdout(() => authorize(connectEvent({
        headers: { 'Sec-WebSocket-Protocol': `${valid}, chat.v1` },
      })));
      logLines.push(...lines);
      expect(result.context).toMatchObject({ userId: claims.sub, tokenUse: 'id' });
    });
  });

  describe('token in a named header', () => {
    const env = { TOKEN_SOURCE_KIND: 'header', TOKEN_SOURCE_NAME: 'X-Id-Token' };
    test('accepts it whatever the header name\'s case', async () => {
      const authorize = buildAuthorizer({ env, transport: InMemoryJwksTransport.serving(jwks), cachedJwks: jwks });
      const { result, lines } = await captureStdout(() => authorize(connectEvent({ headers: { 'x-id-TOKEN': valid } })));
      logLines.push(...lines);
      expect(result.policyDocument.Statement[0].Effect).toBe('Allow');
    });

    const refusals: Array<[string, ConnectRequestTokenSources, string]> = [
      ['Bearer prefix in a header that is not Authorization', { headers: { 'X-Id-Token': `Bearer ${valid}` } }, 'token-bearer-prefix'],
      ['the header given twice', { multiValueHeaders: { 'X-Id-Token': [valid, valid] } }, 'token-repeated'],
      ['token also in the query string', { headers: { 'X-Id-Token': valid }, queryStringParameters: { idToken: valid } }, 'token-in-other-carrier'],
      ['token also in Authorization', { headers: { 'X-Id-Token': valid, 'Authorization': `Bearer ${valid}` } }, 'token-in-other-carrier'],
    ];
    test.each(refusals)('refuses: %s', async (_name, carriers, reason) => {
      const authorize = buildAuthorizer({ env, transport: InMemoryJwksTransport.serving(jwks), cachedJwks: jwks });
      const { result, lines } = await captureStdout(() => authorize(connectEvent(carriers)));
      logLines.push(...lines);
      expect(result.policyDocument.Statement[0].Effect).toBe('Deny');
      expect(JSON.parse(lines[0]).reason).toBe(reason);
    });
  });
});

test('the test pool is the one the tokens name', () => {
  // Guards the matrix itself: the "valid" token must be valid for the configured pool.
  expect(claims.iss).toBe(`https://cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`);
});
