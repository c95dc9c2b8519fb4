/**
 * Mints a sign-in's tokens with the app client's lifetimes, and checks the access tokens that Cognito's
 * signed-in operations (GetUser, ChangePassword, GlobalSignOut, ...) are called with.
 */
import { createPublicKey, KeyObject, verify } from 'node:crypto';
import { AppClientSettings } from './app-client-settings';
import { CognitoErrors } from './cognito-error';
import { accessTokenClaims, idTokenClaims, PoolSigningKey, signJwt, TokenSubject } from './cognito-tokens';
import { SignIn } from './sign-in-sessions';
import { LocalUser } from './user-directory';

/** What a pool signs its tokens with and as. */
export interface PoolSigning {
  readonly issuer: string;
  readonly signingKey: PoolSigningKey;
}

/** Cognito's `AuthenticationResult`, without the refresh token (only a new sign-in returns one). */
export interface AuthenticationTokens {
  readonly AccessToken: string;
  readonly ExpiresIn: number;
  readonly IdToken: string;
  readonly TokenType: 'Bearer';
}

/** What an access token says, once its signature, use and lifetime are checked, and the pool that signed it. */
export interface AccessTokenClaims<Pool extends PoolSigning> {
  readonly pool: Pool;
  readonly clientId: string;
  readonly username: string;
  readonly sub: string;
  readonly originJti: string;
}

export function issueTokens(pool: PoolSigning, client: AppClientSettings, user: LocalUser, signIn: SignIn, nowMs: number): AuthenticationTokens {
  const subject: TokenSubject = {
    issuer: pool.issuer,
    clientId: client.clientId,
    sub: user.sub,
    username: user.username,
    groups: [...user.groups],
    attributes: user.attributes,
    authTime: signIn.authTime,
    originJti: signIn.originJti,
  };
  const now = Math.floor(nowMs / 1000);
  return {
    AccessToken: signJwt(accessTokenClaims(subject, now, client.accessTokenValiditySeconds), pool.signingKey),
    ExpiresIn: client.accessTokenValiditySeconds,
    IdToken: signJwt(idTokenClaims(subject, now, client.idTokenValiditySeconds), pool.signingKey),
    TokenType: 'Bearer',
  };
}

/**
 * The claims of an access token this endpoint issued and that is still valid, or Cognito's NotAuthorizedException
 * ("Invalid Access Token", "Access Token has expired").
 */
export function readAccessToken<Pool extends PoolSigning>(token: string, poolByIssuer: (issuer: string) => Pool | undefined,
  nowMs: number): AccessTokenClaims<Pool> {
  const [header, payload, signature, ...rest] = token.split('.');
  if (!header || !payload || !signature || rest.length > 0) throw CognitoErrors.invalidAccessToken();
  const claims = parseJson(payload);
  const pool = typeof claims?.iss === 'string' ? poolByIssuer(claims.iss) : undefined;
  if (!claims || !pool || !signatureValid(`${header}.${payload}`, signature, publicKeyOf(pool.signingKey))) {
    throw CognitoErrors.invalidAccessToken();
  }
  const { client_id: clientId, username, sub, origin_jti: originJti, token_use: tokenUse, exp } = claims;
  if (tokenUse !== 'access' || typeof clientId !== 'string' || typeof username !== 'string' || typeof sub !== 'string'
    || typeof originJti !== 'string' || typeof exp !== 'number') {
    throw CognitoErrors.invalidAccessToken();
  }
  if (nowMs >= exp * 1000) throw CognitoErrors.accessTokenExpired();
  return { pool, clientId, username, sub, originJti };
}

const publicKeys = new WeakMap<KeyObject, KeyObject>();

function publicKeyOf(key: PoolSigningKey): KeyObject {
  let publicKey = publicKeys.get(key.privateKey);
  if (!publicKey) {
    publicKey = createPublicKey(key.privateKey);
    publicKeys.set(key.privateKey, publicKey);
  }
  return publicKey;
}

function signatureValid(signingInput: string, signature: string, publicKey: KeyObject): boolean {
  return verify('RSA-SHA256', Buffer.from(signingInput, 'utf8'), publicKey, Buffer.from(signature, 'base64url'));
}

function parseJson(base64url: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(base64url, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}
