/**
 * A Cognito-compatible identity endpoint for the local runtime: the user pools and app clients of a synthesized
 * template on Cognito's JSON wire protocol, so that the AWS SDK's CognitoIdentityProviderClient, Amplify v6 and
 * amazon-cognito-identity-js work against it with only their endpoint changed. It signs users in with SRP
 * (their default) or a password, sends confirmation codes to a callback instead of a mailbox, issues RS256
 * tokens with Cognito's claims, and publishes each pool's JWKS at the path Cognito uses.
 *
 * Everything lives in memory and ends with the process.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { serveCognitoRequest, jwksOf } from './cognito-http-endpoint';
import { JsonWebKeyRs256 } from './cognito-tokens';
import { IdentityState, LocalUserPoolOptions } from './identity-state';
import { CodeDelivery } from './verification-codes';
import { listenOnLoopback } from '../loopback-listener';
import type { AllowedOrigins } from '../loopback-request-policy';

export interface LocalIdentityProviderOptions {
  readonly region: string;
  readonly userPools: LocalUserPoolOptions[];
  /**
   * Confirms a user at SignUp (`UserConfirmed: true`), as a pre-sign-up trigger that auto-confirms would, and a
   * ConfirmSignUp that follows still succeeds. With false, SignUp leaves the user unconfirmed as Cognito does, and
   * sends a code (to `onCode`) when the pool auto-verifies email. @default true
   */
  readonly autoConfirmSignUp?: boolean;
  /**
   * Receives every code the endpoint sends (sign-up confirmation, forgot password, attribute verification), where
   * Cognito would email it. @default - codes are not shown anywhere
   */
  readonly onCode?: (delivery: CodeDelivery) => void;
  /** Milliseconds since the epoch; injected so tests can mint tokens and expire codes at a chosen time. @default Date.now */
  readonly clock?: () => number;
}

export interface CreateUserOptions {
  readonly userPoolId: string;
  readonly username: string;
  readonly password: string;
  readonly email?: string;
  /** Other attributes (`name`, `custom:x`, ...). */
  readonly attributes?: Record<string, string>;
  /** Groups to put the user in; each must exist in the pool. */
  readonly groups?: string[];
}

/** The identity endpoint listening on 127.0.0.1. */
export interface LocalIdentityServer {
  /** `http://127.0.0.1:<port>`: Cognito's API at `/`, JWKS at `/<poolId>/.well-known/jwks.json`. */
  readonly endpoint: string;
  close(): Promise<void>;
}

export class LocalIdentityProvider {
  readonly region: string;
  private readonly state: IdentityState;

  constructor(options: LocalIdentityProviderOptions) {
    this.region = options.region;
    this.state = new IdentityState({
      region: options.region,
      userPools: options.userPools,
      autoConfirmSignUp: options.autoConfirmSignUp ?? true,
      clock: options.clock ?? Date.now,
      onCode: options.onCode ?? (() => undefined),
    });
  }

  /** The `iss` of the pool's tokens, as real Cognito writes it. */
  issuer(userPoolId: string): string {
    return this.state.pool(userPoolId).issuer;
  }

  /** The pool's public keys, as served at `/<poolId>/.well-known/jwks.json`. */
  jwks(userPoolId: string): { keys: JsonWebKeyRs256[] } {
    return jwksOf(this.state.pool(userPoolId));
  }

  /**
   * A confirmed user with a permanent password, as AdminCreateUser then AdminSetUserPassword would leave it (the
   * demo user, `--users`); an email is marked verified. The password policy is not applied.
   */
  createUser(options: CreateUserOptions): { sub: string } {
    const pool = this.state.pool(options.userPoolId);
    const groups = (options.groups ?? []).map((name) => pool.directory.requireGroup(name).groupName);
    const attributes = new Map(Object.entries(options.attributes ?? {}));
    if (options.email !== undefined) {
      attributes.set('email', options.email);
      attributes.set('email_verified', 'true');
    }
    const user = pool.directory.addUser({ username: options.username, password: options.password, attributes, status: 'CONFIRMED' });
    for (const group of groups) user.groups.add(group);
    return { sub: user.sub };
  }

  /** Creates a group, unless the pool has it already (the demo user's required groups may also be in the template). */
  ensureGroup(userPoolId: string, groupName: string): void {
    const directory = this.state.pool(userPoolId).directory;
    if (!directory.listGroups().some((group) => group.groupName === groupName)) directory.addGroup({ groupName });
  }

  /** The names of the pool's groups. */
  groupNames(userPoolId: string): string[] {
    return this.state.pool(userPoolId).directory.listGroups().map((group) => group.groupName);
  }

  /** Serves one HTTP request: Cognito's JSON API (POST), a pool's JWKS or OpenID configuration (GET), CORS preflight. */
  handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return serveCognitoRequest(this.state, req, res);
  }

  /** Listens on 127.0.0.1 (an ephemeral port unless given), serving browsers only on loopback or allowed origins. */
  async listen(options: { port?: number; allowedOrigins?: AllowedOrigins } = {}): Promise<LocalIdentityServer> {
    const server = createServer((req, res) => {
      // A request that fails in a way the endpoint did not foresee ends with a 500, never with an unhandled rejection.
      this.handleRequest(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    const listener = await listenOnLoopback(server, options.port, options.allowedOrigins);
    return { endpoint: `http://127.0.0.1:${listener.port}`, close: listener.close };
  }
}
