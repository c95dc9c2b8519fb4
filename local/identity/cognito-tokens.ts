import { createSign, generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';

/** One RS256 signing key of a local user pool, published in its JWKS under `kid`. */
export interface PoolSigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: JsonWebKeyRs256;
}

/** A public key as Cognito publishes it at `/<poolId>/.well-known/jwks.json`. */
export interface JsonWebKeyRs256 {
  readonly alg: 'RS256';
  readonly e: string;
  readonly kid: string;
  readonly kty: 'RSA';
  readonly n: string;
  readonly use: 'sig';
}

/** What a token says about the signed-in user and the sign-in it came from. */
export interface TokenSubject {
  readonly issuer: string;
  readonly clientId: string;
  readonly sub: string;
  readonly username: string;
  readonly groups: readonly string[];
  /** The user's attributes (`email`, `email_verified`, `custom:x`, ...), as the ID token carries them. */
  readonly attributes: ReadonlyMap<string, string>;
  /** Epoch seconds of the password sign-in; kept across refreshes, as Cognito does. */
  readonly authTime: number;
  /** The `jti` family of the sign-in, shared by every token refreshed from it (Cognito's `origin_jti`). */
  readonly originJti: string;
}

export function generatePoolSigningKey(): PoolSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    kid,
    privateKey,
    publicJwk: { alg: 'RS256', e: jwk.e as string, kid, kty: 'RSA', n: jwk.n as string, use: 'sig' },
  };
}

/** Cognito's ID token claims (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html). */
export function idTokenClaims(subject: TokenSubject, nowSeconds: number, validitySeconds: number): Record<string, unknown> {
  return {
    'sub': subject.sub,
    ...(subject.groups.length > 0 ? { 'cognito:groups': [...subject.groups] } : {}),
    ...(subject.attributes.has('email') ? { email_verified: subject.attributes.get('email_verified') === 'true' } : {}),
    'iss': subject.issuer,
    'cognito:username': subject.username,
    'origin_jti': subject.originJti,
    'aud': subject.clientId,
    'event_id': randomUUID(),
    'token_use': 'id',
    'auth_time': subject.authTime,
    'exp': nowSeconds + validitySeconds,
    'iat': nowSeconds,
    'jti': randomUUID(),
    ...attributeClaims(subject.attributes),
  };
}

/** Every attribute but `sub` (already a claim); `*_verified` as booleans, as Cognito writes them. */
function attributeClaims(attributes: ReadonlyMap<string, string>): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of attributes) {
    if (name === 'sub' || name === 'email_verified') continue;
    claims[name] = name.endsWith('_verified') ? value === 'true' : value;
  }
  return claims;
}

/** Cognito's access token claims; it carries `client_id` and `username`, and has no `aud`. */
export function accessTokenClaims(subject: TokenSubject, nowSeconds: number, validitySeconds: number): Record<string, unknown> {
  return {
    sub: subject.sub,
    ...(subject.groups.length > 0 ? { 'cognito:groups': [...subject.groups] } : {}),
    iss: subject.issuer,
    client_id: subject.clientId,
    origin_jti: subject.originJti,
    event_id: randomUUID(),
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: subject.authTime,
    exp: nowSeconds + validitySeconds,
    iat: nowSeconds,
    jti: randomUUID(),
    username: subject.username,
  };
}

/** A compact JWS, RS256, with the `kid` the pool's JWKS publishes. */
export function signJwt(claims: Record<string, unknown>, key: PoolSigningKey): string {
  const header = base64url(JSON.stringify({ kid: key.kid, alg: 'RS256' }));
  const payload = base64url(JSON.stringify(claims));
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${payload}`);
  return `${header}.${payload}.${signer.sign(key.privateKey).toString('base64url')}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
