import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import {
  accessTokenClaims,
  generatePoolSigningKey,
  idTokenClaims,
  JsonWebKeyRs256,
  PoolSigningKey,
  signJwt,
  TokenSubject,
} from './cognito-tokens';
import { listenOnLoopback } from '../loopback-listener';

/**
 * A Cognito-compatible identity endpoint for the local runtime: the user pools
 * and app clients of a synthesized template, on Cognito's JSON wire protocol
 * (so the AWS SDK's CognitoIdentityProviderClient and browsers' `fetch` work
 * against it unchanged), issuing RS256 tokens with Cognito's claims and
 * publishing each pool's JWKS at the path Cognito uses.
 *
 * Everything lives in memory and ends with the process.
 */

/** A user pool as the local runtime found it in the template. */
export interface LocalUserPoolOptions {
  /** Must look like a real pool id (`<region>_<alphanumerics>`): aws-jwt-verify derives the issuer from it. */
  readonly userPoolId: string;
  /** App clients of this pool whose sign-ins are accepted. */
  readonly clientIds: string[];
  /** Marks a signed-up user's email as verified (the construct's default pool auto-verifies email). */
  readonly autoVerifyEmail?: boolean;
  /**
   * The template's `Policies.PasswordPolicy`, enforced at SignUp so a password refused in AWS is refused here.
   * @default - no policy beyond a non-empty password
   */
  readonly passwordPolicy?: CloudFormationPasswordPolicy;
}

/** `AWS::Cognito::UserPool` `Policies.PasswordPolicy`, as CloudFormation spells it. */
export interface CloudFormationPasswordPolicy {
  readonly MinimumLength?: number;
  readonly RequireLowercase?: boolean;
  readonly RequireUppercase?: boolean;
  readonly RequireNumbers?: boolean;
  readonly RequireSymbols?: boolean;
}

export interface LocalIdentityProviderOptions {
  readonly region: string;
  readonly userPools: LocalUserPoolOptions[];
  /**
   * Confirms a user at SignUp (`UserConfirmed: true`), as a pre-sign-up trigger that auto-confirms would:
   * no confirmation code can reach anyone locally. With false, SignUp leaves the user unconfirmed as Cognito
   * does, and ConfirmSignUp accepts any non-empty code. @default true
   */
  readonly autoConfirmSignUp?: boolean;
  /** Lifetime of ID and access tokens. @default 3600 (Cognito's default) */
  readonly tokenValiditySeconds?: number;
  /** Milliseconds since the epoch; injected so tests can mint tokens at a chosen time. @default Date.now */
  readonly clock?: () => number;
}

export interface CreateUserOptions {
  readonly userPoolId: string;
  readonly username: string;
  readonly password: string;
  readonly email?: string;
  readonly groups?: string[];
}

/** The identity endpoint listening on 127.0.0.1. */
export interface LocalIdentityServer {
  /** `http://127.0.0.1:<port>`: Cognito's API at `/`, JWKS at `/<poolId>/.well-known/jwks.json`. */
  readonly endpoint: string;
  close(): Promise<void>;
}

interface LocalUser {
  readonly username: string;
  readonly sub: string;
  readonly passwordSalt: Buffer;
  readonly passwordHash: Buffer;
  readonly email?: string;
  readonly emailVerified: boolean;
  confirmed: boolean;
  readonly groups: string[];
}

interface LocalUserPool {
  readonly options: LocalUserPoolOptions;
  readonly issuer: string;
  readonly signingKey: PoolSigningKey;
  readonly users: Map<string, LocalUser>;
}

interface RefreshGrant {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly username: string;
  readonly authTime: number;
  readonly originJti: string;
}

/** A Cognito service error: the SDK maps `__type` to its exception class. */
class CognitoError extends Error {
  constructor(readonly type: string, message: string, readonly statusCode = 400) {
    super(message);
  }
}

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const MAX_REQUEST_BYTES = 1024 * 1024;
const JWKS_PATH = /\/([^/]+)\/\.well-known\/(jwks\.json|openid-configuration)$/;

export class LocalIdentityProvider {
  readonly region: string;
  private readonly pools = new Map<string, LocalUserPool>();
  private readonly poolIdByClientId = new Map<string, string>();
  private readonly refreshGrants = new Map<string, RefreshGrant>();
  private readonly tokenValiditySeconds: number;
  private readonly autoConfirmSignUp: boolean;
  private readonly clock: () => number;

  constructor(options: LocalIdentityProviderOptions) {
    this.region = options.region;
    this.tokenValiditySeconds = options.tokenValiditySeconds ?? 3600;
    this.autoConfirmSignUp = options.autoConfirmSignUp ?? true;
    this.clock = options.clock ?? Date.now;
    for (const pool of options.userPools) {
      if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(pool.userPoolId)) {
        throw new Error(`userPoolId "${pool.userPoolId}" must look like a Cognito pool id, e.g. "${options.region}_Local0001"`);
      }
      this.pools.set(pool.userPoolId, {
        options: pool,
        issuer: `https://cognito-idp.${options.region}.amazonaws.com/${pool.userPoolId}`,
        signingKey: generatePoolSigningKey(),
        users: new Map(),
      });
      for (const clientId of pool.clientIds) {
        this.poolIdByClientId.set(clientId, pool.userPoolId);
      }
    }
  }

  /** The `iss` of the pool's tokens, as real Cognito writes it. */
  issuer(userPoolId: string): string {
    return this.pool(userPoolId).issuer;
  }

  /** The pool's public keys, as served at `/<poolId>/.well-known/jwks.json`. */
  jwks(userPoolId: string): { keys: JsonWebKeyRs256[] } {
    return { keys: [this.pool(userPoolId).signingKey.publicJwk] };
  }

  /** A confirmed user, as AdminCreateUser plus a permanent password would leave it (demo user, tests); the password policy is not applied. */
  createUser(options: CreateUserOptions): { sub: string } {
    const pool = this.pool(options.userPoolId);
    // As an administrator creating a user with `email_verified` set would.
    const user = this.addUser(pool, options.username, options.password, options.email, true, true);
    user.groups.push(...(options.groups ?? []));
    return { sub: user.sub };
  }

  /** Serves one HTTP request: Cognito's JSON API (POST), a pool's JWKS or OpenID configuration (GET), CORS preflight. */
  async handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Browsers call Cognito cross-origin from the web client.
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', 'x-amzn-requestid, x-amzn-errortype');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? 'content-type, x-amz-target, x-amz-user-agent',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const wellKnown = JWKS_PATH.exec(path);
    if (req.method === 'GET' && wellKnown) {
      let userPoolId: string;
      try {
        userPoolId = decodeURIComponent(wellKnown[1]);
      } catch {
        // A malformed percent-escape; thrown from here it would be an unhandled rejection that ends the process.
        sendJson(res, 400, { message: 'Malformed path' });
        return;
      }
      this.serveWellKnown(userPoolId, wellKnown[2], res);
      return;
    }
    if (req.method !== 'POST') {
      sendJson(res, 404, { message: 'Not found' });
      return;
    }
    const requestId = randomUUID();
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = await readJsonBody(req);
      if (!target.startsWith(TARGET_PREFIX)) {
        throw new CognitoError('UnknownOperationException', 'Missing or unknown X-Amz-Target');
      }
      const result = this.dispatch(target.slice(TARGET_PREFIX.length), body);
      sendJson(res, 200, result, { 'x-amzn-requestid': requestId });
    } catch (err) {
      const error = err instanceof CognitoError ? err : new CognitoError('InternalErrorException', 'Internal error', 500);
      sendJson(res, error.statusCode, { __type: error.type, message: error.message }, {
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': error.type,
      });
    }
  }

  /** Listens on 127.0.0.1 (an ephemeral port unless given). */
  async listen(options: { port?: number } = {}): Promise<LocalIdentityServer> {
    const server = createServer((req, res) => {
      void this.handleRequest(req, res);
    });
    const listener = await listenOnLoopback(server, options.port);
    return { endpoint: `http://127.0.0.1:${listener.port}`, close: listener.close };
  }

  private dispatch(operation: string, body: Record<string, unknown>): unknown {
    switch (operation) {
      case 'SignUp': return this.signUp(body);
      case 'ConfirmSignUp': return this.confirmSignUp(body);
      case 'InitiateAuth': return this.initiateAuth(body);
      case 'RevokeToken': return this.revokeToken(body);
      default:
        throw new CognitoError('UnknownOperationException', `The local identity endpoint does not implement ${operation}`);
    }
  }

  private signUp(body: Record<string, unknown>): unknown {
    const pool = this.poolOfClient(body.ClientId);
    const username = requiredString(body, 'Username');
    const password = requiredString(body, 'Password');
    const policyViolation = passwordPolicyViolation(pool.options.passwordPolicy, password);
    if (policyViolation) {
      throw new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${policyViolation}`);
    }
    const attributes = Array.isArray(body.UserAttributes) ? body.UserAttributes as Array<{ Name?: unknown; Value?: unknown }> : [];
    const email = attributes.find((attribute) => attribute.Name === 'email')?.Value;
    const user = this.addUser(pool, username, password, typeof email === 'string' ? email : undefined, this.autoConfirmSignUp,
      pool.options.autoVerifyEmail === true);
    return {
      UserConfirmed: user.confirmed,
      UserSub: user.sub,
      ...(user.email !== undefined && !user.confirmed
        ? { CodeDeliveryDetails: { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: maskEmail(user.email) } }
        : {}),
    };
  }

  /**
   * No code is ever sent, so any non-empty code confirms the user. Confirming a confirmed user fails as in
   * Cognito, except for users auto-confirmed at SignUp: a client written for Cognito's code flow still works.
   */
  private confirmSignUp(body: Record<string, unknown>): unknown {
    const pool = this.poolOfClient(body.ClientId);
    const username = requiredString(body, 'Username');
    requiredString(body, 'ConfirmationCode');
    const user = this.findUser(pool, username);
    if (!user) {
      throw new CognitoError('UserNotFoundException', 'Username/client id combination not found.');
    }
    if (user.confirmed && !this.autoConfirmSignUp) {
      throw new CognitoError('NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED');
    }
    user.confirmed = true;
    return {};
  }

  private initiateAuth(body: Record<string, unknown>): unknown {
    const clientId = typeof body.ClientId === 'string' ? body.ClientId : '';
    const pool = this.poolOfClient(clientId);
    const parameters = (typeof body.AuthParameters === 'object' && body.AuthParameters !== null ? body.AuthParameters : {}) as Record<string, unknown>;
    switch (body.AuthFlow) {
      case 'USER_PASSWORD_AUTH': {
        const user = this.findUser(pool, typeof parameters.USERNAME === 'string' ? parameters.USERNAME : '');
        const password = typeof parameters.PASSWORD === 'string' ? parameters.PASSWORD : '';
        // One message for unknown user and wrong password, as Cognito does when user existence errors are prevented.
        if (!user || !passwordMatches(user, password)) {
          throw new CognitoError('NotAuthorizedException', 'Incorrect username or password.');
        }
        if (!user.confirmed) {
          throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
        }
        const grant: RefreshGrant = {
          userPoolId: pool.options.userPoolId,
          clientId,
          username: user.username,
          authTime: Math.floor(this.clock() / 1000),
          originJti: randomUUID(),
        };
        const refreshToken = randomBytes(48).toString('base64url');
        this.refreshGrants.set(refreshToken, grant);
        return { ChallengeParameters: {}, AuthenticationResult: { ...this.issueTokens(pool, user, grant), RefreshToken: refreshToken } };
      }
      case 'REFRESH_TOKEN_AUTH':
      case 'REFRESH_TOKEN': {
        const grant = this.refreshGrants.get(typeof parameters.REFRESH_TOKEN === 'string' ? parameters.REFRESH_TOKEN : '');
        const user = grant && grant.clientId === clientId ? pool.users.get(grant.username) : undefined;
        if (!grant || !user) {
          throw new CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
        }
        return { ChallengeParameters: {}, AuthenticationResult: this.issueTokens(pool, user, grant) };
      }
      default:
        throw new CognitoError('InvalidParameterException',
          `The local identity endpoint supports AuthFlow USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH, not ${String(body.AuthFlow)}`);
    }
  }

  /** Sign-out: the refresh token, and every other refresh token of the same sign-in, stop working. */
  private revokeToken(body: Record<string, unknown>): unknown {
    const clientId = typeof body.ClientId === 'string' ? body.ClientId : '';
    this.poolOfClient(clientId);
    const grant = this.refreshGrants.get(requiredString(body, 'Token'));
    if (grant && grant.clientId !== clientId) {
      throw new CognitoError('UnauthorizedException', 'Client is not authorized to revoke this token');
    }
    if (grant) {
      for (const [token, other] of this.refreshGrants) {
        if (other.originJti === grant.originJti) this.refreshGrants.delete(token);
      }
    }
    // Cognito answers an unknown token with success too: revocation is idempotent.
    return {};
  }

  private issueTokens(pool: LocalUserPool, user: LocalUser, grant: RefreshGrant) {
    const subject: TokenSubject = {
      issuer: pool.issuer,
      clientId: grant.clientId,
      sub: user.sub,
      username: user.username,
      groups: user.groups,
      email: user.email,
      emailVerified: user.emailVerified,
      authTime: grant.authTime,
      originJti: grant.originJti,
    };
    const now = Math.floor(this.clock() / 1000);
    return {
      AccessToken: signJwt(accessTokenClaims(subject, now, this.tokenValiditySeconds), pool.signingKey),
      ExpiresIn: this.tokenValiditySeconds,
      IdToken: signJwt(idTokenClaims(subject, now, this.tokenValiditySeconds), pool.signingKey),
      TokenType: 'Bearer',
    };
  }

  private addUser(pool: LocalUserPool, username: string, password: string, email: string | undefined, confirmed: boolean,
    emailVerified: boolean): LocalUser {
    if (username.length === 0 || password.length === 0) {
      throw new CognitoError('InvalidParameterException', 'Username and Password must not be empty');
    }
    if (pool.users.has(username)) {
      throw new CognitoError('UsernameExistsException', 'User already exists');
    }
    const passwordSalt = randomBytes(16);
    const user: LocalUser = {
      username,
      sub: randomUUID(),
      passwordSalt,
      passwordHash: hashPassword(passwordSalt, password),
      email,
      emailVerified: email !== undefined && emailVerified,
      confirmed,
      groups: [],
    };
    pool.users.set(username, user);
    return user;
  }

  /** By username, or by email for pools that sign in with an email alias. */
  private findUser(pool: LocalUserPool, usernameOrEmail: string): LocalUser | undefined {
    const byUsername = pool.users.get(usernameOrEmail);
    if (byUsername) {
      return byUsername;
    }
    const byEmail = [...pool.users.values()].filter((user) => user.email === usernameOrEmail);
    return byEmail.length === 1 ? byEmail[0] : undefined;
  }

  private poolOfClient(clientId: unknown): LocalUserPool {
    const poolId = typeof clientId === 'string' ? this.poolIdByClientId.get(clientId) : undefined;
    if (poolId === undefined) {
      throw new CognitoError('ResourceNotFoundException', `User pool client ${String(clientId)} does not exist.`);
    }
    return this.pool(poolId);
  }

  private pool(userPoolId: string): LocalUserPool {
    const pool = this.pools.get(userPoolId);
    if (!pool) {
      throw new CognitoError('ResourceNotFoundException', `User pool ${userPoolId} does not exist.`);
    }
    return pool;
  }

  private serveWellKnown(userPoolId: string, document: string, res: ServerResponse): void {
    const pool = this.pools.get(userPoolId);
    if (!pool) {
      sendJson(res, 404, { message: `User pool ${userPoolId} does not exist.` });
      return;
    }
    if (document === 'jwks.json') {
      sendJson(res, 200, this.jwks(userPoolId), {}, 'application/json');
      return;
    }
    sendJson(res, 200, {
      issuer: pool.issuer,
      jwks_uri: `${pool.issuer}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      response_types_supported: ['code', 'token'],
    }, {}, 'application/json');
  }
}

/** Cognito's wording for the first rule a password breaks, or undefined when it meets the policy. */
export function passwordPolicyViolation(policy: CloudFormationPasswordPolicy | undefined, password: string): string | undefined {
  if (!policy) return undefined;
  // CloudFormation values may arrive as strings ("true", "8") from a synthesized template.
  const required = (flag: boolean | string | undefined) => flag === true || flag === 'true';
  if (password.length < Number(policy.MinimumLength ?? 8)) return 'Password not long enough';
  if (required(policy.RequireLowercase) && !/[a-z]/.test(password)) return 'Password must have lowercase characters';
  if (required(policy.RequireUppercase) && !/[A-Z]/.test(password)) return 'Password must have uppercase characters';
  if (required(policy.RequireNumbers) && !/[0-9]/.test(password)) return 'Password must have numeric characters';
  if (required(policy.RequireSymbols) && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(password)) {
    return 'Password must have symbol characters';
  }
  return undefined;
}

function hashPassword(salt: Buffer, password: string): Buffer {
  return createHash('sha256').update(salt).update(password, 'utf8').digest();
}

function passwordMatches(user: LocalUser, password: string): boolean {
  return timingSafeEqual(user.passwordHash, hashPassword(user.passwordSalt, password));
}

function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new CognitoError('InvalidParameterException', `Missing required parameter ${field}`);
  }
  return value;
}

function maskEmail(email: string): string {
  const [local, domain] = email.split('@');
  return `${local.slice(0, 1)}***@${domain?.slice(0, 1) ?? ''}***`;
}

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) {
      throw new CognitoError('InvalidParameterException', 'Request body too large');
    }
    chunks.push(chunk as Buffer);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error('not an object');
    }
    return parsed as Record<string, unknown>;
  } catch {
    throw new CognitoError('SerializationException', 'Request body is not a JSON object');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {},
  contentType = 'application/x-amz-json-1.1'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
