/**
 * Everything the identity endpoint holds, and the lookups every operation starts with: the pool of an app
 * client, the user of an access token, a finished sign-in's tokens.
 */
import { AppClientSettings, appClientSettings, LocalAppClientOptions } from './app-client-settings';
import { CognitoErrors } from './cognito-error';
import { generatePoolSigningKey } from './cognito-tokens';
import { PendingChallenges } from './pending-challenges';
import { SignInSessions } from './sign-in-sessions';
import { AuthenticationTokens, issueTokens, PoolSigning, readAccessToken } from './token-issuer';
import { LocalUser, UserPoolDirectory, UserPoolSignInSettings } from './user-directory';
import { CodeDelivery, VerificationCodes } from './verification-codes';

/** A user pool as the local runtime found it in the template. */
export interface LocalUserPoolOptions extends UserPoolSignInSettings {
  /** Must look like a real pool id (`<region>_<alphanumerics>`): aws-jwt-verify derives the issuer from it. */
  readonly userPoolId: string;
  /** The pool's app clients. */
  readonly clientIds: string[];
  /**
   * Settings of some of those clients, from their template (token lifetimes, auth flows, user existence errors).
   * @default - every client has Cognito's defaults
   */
  readonly clientSettings?: LocalAppClientOptions[];
  /** `AutoVerifiedAttributes` includes `email`: sign-up sends a code to the email address, which confirms it. */
  readonly autoVerifyEmail?: boolean;
  /** Groups that exist from the start (the template's `AWS::Cognito::UserPoolGroup` resources). */
  readonly groups?: LocalGroupOptions[];
}

export interface LocalGroupOptions {
  readonly groupName: string;
  readonly description?: string;
  readonly precedence?: number;
  readonly roleArn?: string;
}

export interface IdentityStateOptions {
  readonly region: string;
  readonly userPools: LocalUserPoolOptions[];
  readonly autoConfirmSignUp: boolean;
  readonly clock: () => number;
  readonly onCode: (delivery: CodeDelivery) => void;
}

export interface LocalUserPool extends PoolSigning {
  readonly options: LocalUserPoolOptions;
  readonly directory: UserPoolDirectory;
}

/** A signed-in caller: the user of a valid, unrevoked access token. */
export interface SignedInCaller {
  readonly pool: LocalUserPool;
  readonly user: LocalUser;
}

export class IdentityState {
  readonly region: string;
  readonly clock: () => number;
  readonly autoConfirmSignUp: boolean;
  readonly codes: VerificationCodes;
  readonly sessions: SignInSessions;
  readonly challenges: PendingChallenges;
  private readonly pools = new Map<string, LocalUserPool>();
  private readonly clients = new Map<string, { settings: AppClientSettings; userPoolId: string }>();

  constructor(options: IdentityStateOptions) {
    this.region = options.region;
    this.clock = options.clock;
    this.autoConfirmSignUp = options.autoConfirmSignUp;
    this.codes = new VerificationCodes(options.clock, options.onCode);
    this.sessions = new SignInSessions(options.clock);
    this.challenges = new PendingChallenges(options.clock);
    for (const pool of options.userPools) this.addPool(pool);
  }

  /** The pool of an app client, and the client's settings; ResourceNotFoundException for an unknown client. */
  poolOfClient(clientId: string): { pool: LocalUserPool; client: AppClientSettings } {
    const entry = this.clients.get(clientId);
    if (!entry) throw CognitoErrors.clientNotFound(clientId);
    return { pool: this.pool(entry.userPoolId), client: entry.settings };
  }

  pool(userPoolId: string): LocalUserPool {
    const pool = this.pools.get(userPoolId);
    if (!pool) throw CognitoErrors.poolNotFound(userPoolId);
    return pool;
  }

  hasPool(userPoolId: string): boolean {
    return this.pools.has(userPoolId);
  }

  /** The user an access token was issued to, if the token is valid, unrevoked, and the user still exists. */
  signedInCaller(accessToken: string): SignedInCaller {
    const claims = readAccessToken(accessToken, (issuer) => [...this.pools.values()].find((pool) => pool.issuer === issuer), this.clock());
    if (this.sessions.isRevoked(claims.originJti)) throw CognitoErrors.accessTokenRevoked();
    const { pool } = claims;
    const user = pool.directory.find(claims.username);
    // A deleted user's tokens were revoked with it; one created again under the same name has another sub.
    if (!user || user.sub !== claims.sub) throw CognitoErrors.accessTokenRevoked();
    return { pool, user };
  }

  /** A new sign-in of a user who proved their password: tokens and a refresh token. */
  completeSignIn(pool: LocalUserPool, client: AppClientSettings, user: LocalUser): AuthenticationTokens & { RefreshToken: string } {
    const { signIn, refreshToken } = this.sessions.start(
      { userPoolId: pool.options.userPoolId, clientId: client.clientId, username: user.username, sub: user.sub },
      client.refreshTokenValiditySeconds,
    );
    return { ...issueTokens(pool, client, user, signIn, this.clock()), RefreshToken: refreshToken };
  }

  /** Deletes a user with everything of theirs: sign-ins (revoked) and pending codes. */
  removeUser(pool: LocalUserPool, user: LocalUser): void {
    this.sessions.revokeUser(pool.options.userPoolId, user.username);
    this.codes.forget(pool.options.userPoolId, user.username);
    pool.directory.remove(user);
  }

  private addPool(options: LocalUserPoolOptions): void {
    if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(options.userPoolId)) {
      throw new Error(`userPoolId "${options.userPoolId}" must look like a Cognito pool id, e.g. "${this.region}_Local0001"`);
    }
    const directory = new UserPoolDirectory(options.userPoolId, options, this.clock);
    for (const group of options.groups ?? []) directory.addGroup(group);
    this.pools.set(options.userPoolId, {
      options,
      directory,
      issuer: `https://cognito-idp.${this.region}.amazonaws.com/${options.userPoolId}`,
      signingKey: generatePoolSigningKey(),
    });
    const settings = new Map((options.clientSettings ?? []).map((client) => [client.clientId, client]));
    for (const clientId of settings.keys()) {
      if (!options.clientIds.includes(clientId)) {
        throw new Error(`clientSettings of ${options.userPoolId} names client "${clientId}", which is not one of its clientIds`);
      }
    }
    for (const clientId of options.clientIds) {
      this.clients.set(clientId, { settings: appClientSettings(settings.get(clientId) ?? { clientId }), userPoolId: options.userPoolId });
    }
  }
}
