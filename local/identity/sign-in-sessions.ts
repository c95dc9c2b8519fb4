/**
 * Sign-ins and their refresh tokens. A sign-in is a family of tokens sharing one `origin_jti`: refreshing mints
 * new ID and access tokens of the same family; revoking a refresh token (RevokeToken) or signing a user out
 * everywhere (GlobalSignOut) revokes its families, so their refresh tokens stop working at once and their
 * access tokens are refused by Cognito's own API, while API Gateway (which only checks the signature) accepts
 * them until they expire, as in AWS.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { CognitoErrors } from './cognito-error';

export interface SignIn {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly username: string;
  /** The user's `sub`: a user deleted and created again under the same name does not inherit the sign-in. */
  readonly sub: string;
  /** Epoch seconds of the password or SRP sign-in; kept across refreshes, as Cognito does. */
  readonly authTime: number;
  /** Cognito's `origin_jti`, shared by every token of this sign-in. */
  readonly originJti: string;
  /** Epoch milliseconds after which the refresh token is refused. */
  readonly refreshExpiresAt: number;
}

export class SignInSessions {
  private readonly byRefreshToken = new Map<string, SignIn>();
  private readonly revokedOrigins = new Set<string>();

  constructor(private readonly clock: () => number) {}

  /** A new sign-in and its refresh token, opaque to clients as Cognito's are. */
  start(user: Pick<SignIn, 'userPoolId' | 'clientId' | 'username' | 'sub'>, refreshValiditySeconds: number): { signIn: SignIn; refreshToken: string } {
    const now = this.clock();
    const signIn: SignIn = {
      ...user, authTime: Math.floor(now / 1000), originJti: randomUUID(), refreshExpiresAt: now + refreshValiditySeconds * 1000,
    };
    const refreshToken = randomBytes(48).toString('base64url');
    this.byRefreshToken.set(refreshToken, signIn);
    return { signIn, refreshToken };
  }

  /** The sign-in a refresh token belongs to, for the client it was issued to; Cognito's error otherwise. */
  refresh(refreshToken: string, clientId: string): SignIn {
    const signIn = this.byRefreshToken.get(refreshToken);
    if (!signIn || signIn.clientId !== clientId) throw CognitoErrors.invalidRefreshToken();
    if (this.revokedOrigins.has(signIn.originJti)) throw CognitoErrors.refreshTokenRevoked();
    if (this.clock() > signIn.refreshExpiresAt) throw CognitoErrors.refreshTokenExpired();
    return signIn;
  }

  /** RevokeToken: ends the sign-in of this refresh token. An unknown token succeeds, as in Cognito. */
  revoke(refreshToken: string, clientId: string): void {
    const signIn = this.byRefreshToken.get(refreshToken);
    if (!signIn) return;
    if (signIn.clientId !== clientId) throw CognitoErrors.revokeOtherClient();
    this.revokedOrigins.add(signIn.originJti);
  }

  /** GlobalSignOut and AdminUserGlobalSignOut: ends every sign-in of the user. */
  revokeUser(userPoolId: string, username: string): void {
    for (const signIn of this.byRefreshToken.values()) {
      if (signIn.userPoolId === userPoolId && signIn.username === username) this.revokedOrigins.add(signIn.originJti);
    }
  }

  isRevoked(originJti: string): boolean {
    return this.revokedOrigins.has(originJti);
  }
}
