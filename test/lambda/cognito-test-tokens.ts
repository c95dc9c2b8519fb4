import { createHmac, generateKeyPairSync, KeyObject, sign } from 'node:crypto';

/**
 * Mints tokens the way Amazon Cognito does (RS256, kid in the header, Cognito's claims),
 * with a key pair made here, so the authorizer is tested against real signatures.
 */

export const REGION = 'eu-west-1';
export const USER_POOL_ID = `${REGION}_TestPool1`;
export const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`;
export const JWKS_URI = `${ISSUER}/.well-known/jwks.json`;
export const CLIENT_ID = 'client0000000000000000000a';
export const SECOND_CLIENT_ID = 'client0000000000000000000b';
/** A client of the same pool that the authorizer is not configured to accept. */
export const OTHER_CLIENT_ID = 'client0000000000000000000z';

export interface TestSigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The public key as Cognito publishes it in its JWKS. */
  readonly jwk: { kid: string; alg: 'RS256'; use: 'sig'; kty: 'RSA'; n: string; e: string };
}

export function createSigningKey(kid: string): TestSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const exported = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return { kid, privateKey, publicKey, jwk: { kid, alg: 'RS256', use: 'sig', kty: 'RSA', n: exported.n, e: exported.e } };
}

export function jwksOf(...keys: TestSigningKey[]) {
  return { keys: keys.map((key) => key.jwk) };
}

export function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

export type SigningAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'HS256' | 'none';

/** Signs `header.payload` with the header's `alg`; HS256 uses `hmacSecret`, `none` an empty signature. */
export function signJwt(
  header: Record<string, unknown>, payload: Record<string, unknown>, key: TestSigningKey, hmacSecret?: string | Buffer,
): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const alg = header.alg as SigningAlgorithm;
  let signature: Buffer;
  switch (alg) {
    case 'RS256': signature = sign('sha256', Buffer.from(signingInput), key.privateKey); break;
    case 'RS384': signature = sign('sha384', Buffer.from(signingInput), key.privateKey); break;
    case 'RS512': signature = sign('sha512', Buffer.from(signingInput), key.privateKey); break;
    case 'HS256': signature = createHmac('sha256', hmacSecret!).update(signingInput).digest(); break;
    case 'none': signature = Buffer.alloc(0); break;
    default: throw new Error(`unsupported alg ${alg}`);
  }
  return `${signingInput}.${base64url(signature)}`;
}

export interface CognitoClaimsOptions {
  readonly tokenUse?: 'id' | 'access';
  readonly nowSeconds?: number;
  readonly groups?: string[];
}

/** The claims Cognito puts in an ID or access token for user `alice`. */
export function cognitoClaims(options: CognitoClaimsOptions = {}): Record<string, unknown> {
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const common = {
    'sub': '5f1c1a0e-1111-4222-8333-944455556666',
    'cognito:groups': options.groups ?? ['readers', 'writers'],
    'iss': ISSUER,
    'event_id': 'b0d5b2a6-0000-4000-8000-000000000001',
    'auth_time': now - 5,
    'iat': now - 5,
    'exp': now + 3600,
    'jti': 'a7c3c1d2-0000-4000-8000-000000000002',
    'origin_jti': 'a7c3c1d2-0000-4000-8000-000000000003',
  };
  if ((options.tokenUse ?? 'id') === 'id') {
    return {
      ...common,
      'aud': CLIENT_ID,
      'token_use': 'id',
      'cognito:username': 'alice',
      'email': 'alice@example.com',
      'email_verified': true,
    };
  }
  return {
    ...common,
    client_id: CLIENT_ID,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    username: 'alice',
  };
}

export function rs256Header(key: TestSigningKey): Record<string, unknown> {
  return { kid: key.kid, alg: 'RS256' };
}

/** The signature part of a compact JWT, which must never appear in a log line. */
export function signatureOf(token: string): string {
  return token.split('.')[2] ?? '';
}
