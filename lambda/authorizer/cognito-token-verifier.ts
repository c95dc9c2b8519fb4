import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwksNotAvailableInCacheError, KidNotFoundInJwksError } from 'aws-jwt-verify/error';
import { Fetcher, SimpleFetcher } from 'aws-jwt-verify/https';
import { Jwks, SimplePenaltyBox } from 'aws-jwt-verify/jwk';
import { AuthorizerConfig } from './authorizer-config';
import { ExpiringJwksCache } from './expiring-jwks-cache';

/** The claims the authorizer reads after verification; the verifier has checked their types. */
export interface VerifiedClaims {
  readonly 'sub'?: string;
  readonly 'exp'?: number;
  readonly 'token_use'?: string;
  /** Access tokens: the OAuth scopes, space-separated. */
  readonly 'scope'?: string;
  readonly 'username'?: string;
  readonly 'cognito:username'?: string;
  readonly 'cognito:groups'?: string[];
}

/** The one call the authorizer needs from a verifier, so tests can give it one built on a test JWKS. */
export interface ConnectTokenVerifier {
  verify(token: string): Promise<VerifiedClaims>;
}

/** Thrown by our own claim check; aws-jwt-verify accepts a token without `sub` or `exp`, we do not. */
export class RequiredClaimMissingError extends Error {
  constructor(readonly claim: 'sub' | 'exp') {
    super(`token has no ${claim} claim`);
  }
}

/** Thrown when the JWKS fetch exceeds our deadline. A FetchError, so aws-jwt-verify's retry logic treats it as one. */
export class JwksDeadlineExceededError extends FetchError {}

/**
 * Bounds on the JWKS download. aws-jwt-verify's SimpleFetcher retries once, immediately, so its
 * own timeouts could add up to twice (socket idle + response); the deadline caps the whole fetch,
 * retry included, far under API Gateway's 29 s integration timeout.
 */
export const JWKS_SOCKET_IDLE_TIMEOUT_MS = 1_000;
export const JWKS_RESPONSE_TIMEOUT_MS = 1_500;
export const JWKS_FETCH_DEADLINE_MS = 3_000;
/**
 * After a token names a kid the fresh JWKS lacks, refetching for that kid is refused for this long,
 * so a flood of made-up kids cannot turn into a flood of JWKS downloads. A failed download is not
 * penalised and not cached: the next $connect tries again, which is how the authorizer recovers.
 */
export const JWKS_UNKNOWN_KID_PENALTY_SECONDS = 5;

/** Wraps a fetcher in an overall deadline. */
export function withDeadline(transport: Fetcher, deadlineMs: number): Fetcher {
  return {
    fetch: (uri, requestOptions, data) => new Promise<ArrayBuffer>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new JwksDeadlineExceededError(uri, `no JWKS within ${deadlineMs} ms`)),
        deadlineMs,
      );
      transport.fetch(uri, requestOptions, data).then(resolve, reject).finally(() => clearTimeout(timer));
    }),
  };
}

export interface CognitoTokenVerifierOptions {
  /** How the JWKS is downloaded; the default is aws-jwt-verify's https fetcher with our timeouts. */
  readonly transport?: Fetcher;
  /** Epoch milliseconds, for the JWKS's maximum age; injected so tests can move time. */
  readonly now?: () => number;
}

export function createCognitoTokenVerifier(
  config: AuthorizerConfig, options: CognitoTokenVerifierOptions = {},
): CognitoJwtVerifierWithJwks {
  const transport = options.transport ?? new SimpleFetcher({
    defaultRequestOptions: { timeout: JWKS_SOCKET_IDLE_TIMEOUT_MS, responseTimeout: JWKS_RESPONSE_TIMEOUT_MS },
  });
  const jwksCache = new ExpiringJwksCache({
    simple: {
      fetcher: withDeadline(transport, JWKS_FETCH_DEADLINE_MS),
      penaltyBox: new SimplePenaltyBox({ waitSeconds: JWKS_UNKNOWN_KID_PENALTY_SECONDS }),
    },
    now: options.now,
  });
  const verifier = CognitoJwtVerifier.create({
    userPoolId: config.userPoolId,
    tokenUse: config.tokenUse,
    clientId: config.clientIds,
    groups: config.requiredGroups.length > 0 ? config.requiredGroups : undefined,
    // At least one of them in the access token's space-separated `scope` claim.
    scope: config.requiredScopes.length > 0 ? config.requiredScopes : undefined,
    customJwtCheck: ({ payload }) => {
      if (typeof payload.sub !== 'string' || payload.sub === '') {
        throw new RequiredClaimMissingError('sub');
      }
      if (typeof payload.exp !== 'number') {
        throw new RequiredClaimMissingError('exp');
      }
    },
  }, { jwksCache });
  return {
    cacheJwks: (jwks) => verifier.cacheJwks(jwks),
    verify: async (token) => {
      // A warm container holds the key: every check runs synchronously, with no promise per step. The asynchronous
      // path is for what needs the network: the first token, a JWKS past its maximum age, a kid not in the cache.
      try {
        return verifier.verifySync(token);
      } catch (err) {
        if (err instanceof JwksNotAvailableInCacheError || err instanceof KidNotFoundInJwksError) {
          return verifier.verify(token);
        }
        throw err;
      }
    },
  };
}

/** The verifier `createCognitoTokenVerifier` builds: a ConnectTokenVerifier that also takes a JWKS directly. */
export type CognitoJwtVerifierWithJwks = ConnectTokenVerifier & {
  cacheJwks(jwks: Jwks): void;
};
