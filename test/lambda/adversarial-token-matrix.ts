/**
 * The adversarial token matrix: every malformed, forged, misdirected or expired token the authorizer can meet, each
 * placed in each token source the construct offers (a query string parameter, the Authorization header, a header of
 * the app's own, the subprotocol). Every case must be refused, with the reason the authorizer logs.
 */
import {
  base64url, cognitoClaims, createSigningKey, ISSUER, jwksOf, OTHER_CLIENT_ID, REGION, rs256Header, signJwt,
} from './cognito-test-tokens';
import { ConnectRequestTokenSources } from '../../lambda/token-source';

/** A token source, as the authorizer's environment names it and as a client fills it. */
export interface TokenCarrier {
  readonly name: string;
  /** TOKEN_SOURCE_KIND and TOKEN_SOURCE_NAME, as the construct sets them for this source. */
  readonly env: Record<string, string>;
  /**
   * Reasons this source gives instead of the query string's. Among offered subprotocols the token is the entry that
   * has a JWT's shape, so a value without that shape is not found there at all.
   */
  readonly reasonOverrides?: Readonly<Record<string, string>>;
  /** Cases that do not apply to this source (a `Bearer ` prefix is the norm in Authorization). */
  readonly notApplicable?: readonly string[];
  /** A request with `value` where this source carries the token. */
  carry(value: string): ConnectRequestTokenSources;
  /** A request with the token given twice in this source. */
  carryTwice(token: string): ConnectRequestTokenSources;
  /** A request with the token in this source and a copy in another one. */
  carryAlsoElsewhere(token: string): ConnectRequestTokenSources;
}

const APPLICATION_PROTOCOL = 'chat.v1';

/** What a subprotocol source reports for a value that has no JWT shape: no token among the offered protocols. */
const NOT_A_JWT_AMONG_SUBPROTOCOLS = Object.fromEntries([
  'empty string', 'whitespace', 'garbage', '1 part', '2 parts', '4 parts', '5 parts',
  'Bearer prefix where none is expected', 'a value of exactly 8 KB',
].map((name) => [name, 'token-missing']));

export const TOKEN_CARRIERS: readonly TokenCarrier[] = [
  {
    name: 'query string idToken',
    env: { TOKEN_SOURCE_KIND: 'querystring', TOKEN_SOURCE_NAME: 'idToken' },
    carry: (value) => ({ queryStringParameters: { idToken: value } }),
    carryTwice: (token) => ({ queryStringParameters: { idToken: token }, multiValueQueryStringParameters: { idToken: [token, token] } }),
    carryAlsoElsewhere: (token) => ({ queryStringParameters: { idToken: token }, headers: { Authorization: `Bearer ${token}` } }),
  },
  {
    name: 'Authorization header',
    env: { TOKEN_SOURCE_KIND: 'header', TOKEN_SOURCE_NAME: 'Authorization' },
    carry: (value) => ({ headers: { Authorization: `Bearer ${value}` } }),
    carryTwice: (token) => ({ multiValueHeaders: { Authorization: [`Bearer ${token}`, `Bearer ${token}`] } }),
    carryAlsoElsewhere: (token) => ({ headers: { Authorization: `Bearer ${token}` }, queryStringParameters: { idToken: token } }),
    // The 8 KB limit applies to the header's value, `Bearer ` included.
    reasonOverrides: { 'a value of exactly 8 KB': 'token-too-large' },
    notApplicable: ['Bearer prefix where none is expected'],
  },
  {
    name: 'header X-Id-Token',
    env: { TOKEN_SOURCE_KIND: 'header', TOKEN_SOURCE_NAME: 'X-Id-Token' },
    carry: (value) => ({ headers: { 'X-Id-Token': value } }),
    carryTwice: (token) => ({ multiValueHeaders: { 'X-Id-Token': [token, token] } }),
    carryAlsoElsewhere: (token) => ({ headers: { 'X-Id-Token': token, 'Sec-WebSocket-Protocol': `${APPLICATION_PROTOCOL}, ${token}` } }),
  },
  {
    name: 'subprotocol',
    env: { TOKEN_SOURCE_KIND: 'subprotocol', TOKEN_SOURCE_NAME: 'Sec-WebSocket-Protocol' },
    carry: (value) => ({ headers: { 'Sec-WebSocket-Protocol': `${APPLICATION_PROTOCOL}, ${value}` } }),
    carryTwice: (token) => ({ headers: { 'Sec-WebSocket-Protocol': `${APPLICATION_PROTOCOL}, ${token}, ${token}` } }),
    carryAlsoElsewhere: (token) => ({
      headers: { 'Sec-WebSocket-Protocol': `${APPLICATION_PROTOCOL}, ${token}` }, queryStringParameters: { access_token: token },
    }),
    reasonOverrides: NOT_A_JWT_AMONG_SUBPROTOCOLS,
  },
];

/** Authorizer configurations beyond the default (ID tokens, no group, no scope). */
export type AuthorizerVariant = 'id' | 'access' | 'groups' | 'scopes';
export const VARIANT_ENV: Record<AuthorizerVariant, Record<string, string>> = {
  id: {},
  access: { TOKEN_USE: 'access' },
  groups: { REQUIRED_GROUPS: 'admins, operators' },
  scopes: { TOKEN_USE: 'access', REQUIRED_SCOPES: 'chat/write chat/admin' },
};

// The pool's current signing key (in the JWKS), a key it rotated out, and an attacker's key.
export const poolKey = createSigningKey('pool-key-2');
const rotatedOutKey = createSigningKey('pool-key-1');
const attackerKey = createSigningKey('attacker-key');
const attackerKeyWithPoolKid = { ...attackerKey, kid: poolKey.kid };
export const jwks = jwksOf(poolKey);

export const claims = cognitoClaims();
export const accessClaims = cognitoClaims({ tokenUse: 'access' });
export const valid = signJwt(rs256Header(poolKey), claims, poolKey);
export const validAccess = signJwt(rs256Header(poolKey), accessClaims, poolKey);
const [validHeader, validPayload, validSignature] = valid.split('.');
const now = Math.floor(Date.now() / 1000);
const publicKeyPem = poolKey.publicKey.export({ format: 'pem', type: 'spki' }) as string;

/** A token of the pool with claims changed or removed. */
export function withClaims(changes: Record<string, unknown>, remove: string[] = [], base: Record<string, unknown> = claims): string {
  const payload: Record<string, unknown> = { ...base, ...changes };
  for (const name of remove) delete payload[name];
  return signJwt(rs256Header(poolKey), payload, poolKey);
}

export interface RefusalCase {
  readonly name: string;
  readonly request: ConnectRequestTokenSources;
  readonly reason: string;
  readonly variant: AuthorizerVariant;
  /** Every token-like value the request holds, none of which may appear in a log line. */
  readonly tokens: readonly string[];
}

interface TokenCase {
  readonly name: string;
  readonly token: string;
  readonly reason: string;
  readonly variant?: AuthorizerVariant;
}

/** The values to present, each in the carrier's place. */
const TOKEN_CASES: readonly TokenCase[] = [
  { name: 'empty string', token: '', reason: 'token-empty' },
  { name: 'whitespace', token: '   \t ', reason: 'token-empty' },
  { name: 'garbage', token: 'not a token at all', reason: 'token-malformed' },
  { name: '1 part', token: validHeader, reason: 'token-malformed' },
  { name: '2 parts', token: `${validHeader}.${validPayload}`, reason: 'token-malformed' },
  { name: '4 parts', token: `${valid}.${validSignature}`, reason: 'token-malformed' },
  { name: '5 parts', token: `${valid}.${validPayload}.${validSignature}`, reason: 'token-malformed' },
  { name: 'Bearer prefix where none is expected', token: `Bearer ${valid}`, reason: 'token-bearer-prefix' },
  // aws-jwt-verify refuses `none` (and its empty signature) while parsing, before any key is looked up.
  { name: 'alg none', token: signJwt({ kid: poolKey.kid, alg: 'none' }, claims, poolKey), reason: 'token-malformed' },
  {
    name: 'HS256 signed with the public key as secret',
    token: signJwt({ kid: poolKey.kid, alg: 'HS256' }, claims, poolKey, publicKeyPem),
    reason: 'algorithm-invalid',
  },
  { name: 'RS384', token: signJwt({ kid: poolKey.kid, alg: 'RS384' }, claims, poolKey), reason: 'algorithm-invalid' },
  { name: 'RS512', token: signJwt({ kid: poolKey.kid, alg: 'RS512' }, claims, poolKey), reason: 'algorithm-invalid' },
  { name: 'no kid', token: signJwt({ alg: 'RS256' }, claims, poolKey), reason: 'kid-missing' },
  { name: 'unknown kid', token: signJwt({ kid: 'no-such-key', alg: 'RS256' }, claims, poolKey), reason: 'kid-unknown' },
  { name: 'kid with path characters', token: signJwt({ kid: '../../../../etc/passwd', alg: 'RS256' }, claims, poolKey), reason: 'kid-unknown' },
  { name: 'kid with SQL characters', token: signJwt({ kid: "' OR '1'='1' --", alg: 'RS256' }, claims, poolKey), reason: 'kid-unknown' },
  {
    name: 'jku header pointing at the attacker\'s key set',
    token: signJwt({ ...rs256Header(attackerKeyWithPoolKid), jku: 'https://attacker.example/jwks.json' }, claims, attackerKeyWithPoolKid),
    reason: 'signature-invalid',
  },
  {
    name: 'x5u header pointing at the attacker\'s certificate',
    token: signJwt({ ...rs256Header(attackerKeyWithPoolKid), x5u: 'https://attacker.example/cert.pem' }, claims, attackerKeyWithPoolKid),
    reason: 'signature-invalid',
  },
  {
    name: 'signed by another key pair (with the pool key\'s kid)',
    token: signJwt(rs256Header(attackerKeyWithPoolKid), claims, attackerKeyWithPoolKid),
    reason: 'signature-invalid',
  },
  {
    name: 'payload changed after signing',
    token: `${validHeader}.${base64url(JSON.stringify({ ...claims, sub: 'someone-else' }))}.${validSignature}`,
    reason: 'signature-invalid',
  },
  { name: 'signature truncated', token: valid.slice(0, -10), reason: 'signature-invalid' },
  { name: 'expired', token: withClaims({ exp: now - 60, iat: now - 3660 }), reason: 'token-expired' },
  { name: 'nbf in the future', token: withClaims({ nbf: now + 600 }), reason: 'token-not-yet-valid' },
  {
    name: 'issuer of another pool',
    token: withClaims({ iss: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_OtherPool` }),
    reason: 'issuer-invalid',
  },
  { name: 'issuer of another region', token: withClaims({ iss: ISSUER.replace(`.${REGION}.`, '.us-east-1.') }), reason: 'issuer-invalid' },
  { name: 'audience of another app client', token: withClaims({ aud: OTHER_CLIENT_ID }), reason: 'client-invalid' },
  { name: 'aud as an array containing ours and others', token: withClaims({ aud: [claims.aud, OTHER_CLIENT_ID] }), reason: 'client-invalid' },
  { name: 'access token where ID is required', token: validAccess, reason: 'token-use-invalid' },
  { name: 'ID token where access is required', token: valid, reason: 'token-use-invalid', variant: 'access' },
  { name: 'no exp', token: withClaims({}, ['exp']), reason: 'claim-missing' },
  { name: 'no iss', token: withClaims({}, ['iss']), reason: 'issuer-invalid' },
  { name: 'no sub', token: withClaims({}, ['sub']), reason: 'claim-missing' },
  { name: 'empty sub', token: withClaims({ sub: '' }), reason: 'claim-missing' },
  { name: 'token_use missing', token: withClaims({}, ['token_use']), reason: 'token-use-invalid' },
  { name: 'user not in a required group', token: valid, reason: 'group-missing', variant: 'groups' },
  { name: 'user in no group at all', token: withClaims({}, ['cognito:groups']), reason: 'group-missing', variant: 'groups' },
  { name: 'access token without any required scope', token: validAccess, reason: 'scope-missing', variant: 'scopes' },
  { name: 'access token with no scope claim', token: withClaims({}, ['scope'], accessClaims), reason: 'scope-missing', variant: 'scopes' },
  {
    name: 'a scope that only starts like a required one',
    token: withClaims({ scope: 'chat/writer chat/admin2' }, [], accessClaims),
    reason: 'scope-missing',
    variant: 'scopes',
  },
  // aws-jwt-verify checks the scope before the token use: an ID token has no scope claim.
  { name: 'ID token where scopes are required', token: valid, reason: 'scope-missing', variant: 'scopes' },
  { name: 'token over 8 KB', token: withClaims({ padding: 'x'.repeat(8 * 1024) }), reason: 'token-too-large' },
  // 8 KB itself is within the limit: refused here only because it is no JWT
  { name: 'a value of exactly 8 KB', token: 'x'.repeat(8 * 1024), reason: 'token-malformed' },
  { name: 'token from a key the pool rotated out of its JWKS', token: signJwt(rs256Header(rotatedOutKey), claims, rotatedOutKey), reason: 'kid-unknown' },
];

/** Every refusal for one token source: the token cases in its place, then what only a request's shape can get wrong. */
export function refusalsFor(carrier: TokenCarrier): RefusalCase[] {
  const cases: RefusalCase[] = TOKEN_CASES
    .filter((tokenCase) => !carrier.notApplicable?.includes(tokenCase.name))
    .map((tokenCase) => ({
      name: tokenCase.name,
      request: carrier.carry(tokenCase.token),
      reason: carrier.reasonOverrides?.[tokenCase.name] ?? tokenCase.reason,
      variant: tokenCase.variant ?? 'id',
      tokens: [tokenCase.token],
    }));
  return [
    ...cases,
    { name: 'missing token', request: {}, reason: 'token-missing', variant: 'id', tokens: [] },
    {
      name: 'other query parameters only', request: { queryStringParameters: { token: 'x' } }, reason: 'token-missing', variant: 'id', tokens: [],
    },
    { name: 'the token given twice', request: carrier.carryTwice(valid), reason: 'token-repeated', variant: 'id', tokens: [valid] },
    {
      name: 'the token in another source as well', request: carrier.carryAlsoElsewhere(valid), reason: 'token-in-other-carrier', variant: 'id', tokens: [valid],
    },
  ];
}

/** The requests each source accepts, and the variant that accepts them. */
export function acceptedFor(carrier: TokenCarrier): Array<{ name: string; request: ConnectRequestTokenSources; variant: AuthorizerVariant }> {
  return [
    { name: 'a valid ID token', request: carrier.carry(valid), variant: 'id' },
    { name: 'a valid access token', request: carrier.carry(validAccess), variant: 'access' },
    { name: 'an access token with one of the required scopes', request: carrier.carry(withClaims({ scope: 'openid chat/admin' }, [], accessClaims)), variant: 'scopes' },
    { name: 'a user in one of the required groups', request: carrier.carry(withClaims({ 'cognito:groups': ['readers', 'operators'] })), variant: 'groups' },
  ];
}
