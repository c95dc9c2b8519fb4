import { JwksNotAvailableInCacheError } from 'aws-jwt-verify/error';
import { Jwks, JwkWithKid, SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { DecomposedJwt } from 'aws-jwt-verify/jwt';

/**
 * How long a downloaded JWKS is trusted before the next `$connect` downloads it again: a key the pool no longer
 * publishes (rotated out after a leak) stops being accepted within this time, where aws-jwt-verify's own cache
 * would trust it for as long as the container lives.
 */
export const JWKS_MAX_AGE_MS = 10 * 60 * 1000;
/** After a failed refetch, the cached keys keep being used and the next attempt waits this long. */
export const JWKS_REFETCH_BACKOFF_MS = 30 * 1000;

export interface ExpiringJwksCacheProps {
  /** aws-jwt-verify's cache settings (fetcher, penalty box), used for every download. */
  readonly simple?: ConstructorParameters<typeof SimpleJwksCache>[0];
  readonly maxAgeMs?: number;
  readonly refetchBackoffMs?: number;
  /** Epoch milliseconds; injected so tests can move time. */
  readonly now?: () => number;
}

/**
 * aws-jwt-verify's JWKS cache with a maximum age. Once a JWKS is older than `maxAgeMs`, the next `getJwk`
 * downloads it again first, one download at a time however many connects wait for it. A refetch that fails
 * (endpoint down, garbage) keeps the cached keys, so a valid key never turns into an outage, and is tried again
 * by a connect after `refetchBackoffMs`, so a failing endpoint is not hammered.
 */
export class ExpiringJwksCache extends SimpleJwksCache {
  private readonly maxAgeMs: number;
  private readonly refetchBackoffMs: number;
  private readonly now: () => number;
  private readonly fetchedAt = new Map<string, number>();
  private readonly nextRefetchAt = new Map<string, number>();
  private readonly refetching = new Map<string, Promise<void>>();

  constructor(props: ExpiringJwksCacheProps = {}) {
    super(props.simple);
    this.maxAgeMs = props.maxAgeMs ?? JWKS_MAX_AGE_MS;
    this.refetchBackoffMs = props.refetchBackoffMs ?? JWKS_REFETCH_BACKOFF_MS;
    this.now = props.now ?? Date.now;
  }

  addJwks(jwksUri: string, jwks: Jwks): void {
    super.addJwks(jwksUri, jwks);
    this.fetchedAt.set(jwksUri, this.now());
  }

  /** Every download goes through here, the one aws-jwt-verify makes for an unknown kid included. */
  async getJwks(jwksUri: string): Promise<Jwks> {
    const jwks = await super.getJwks(jwksUri);
    this.fetchedAt.set(jwksUri, this.now());
    this.nextRefetchAt.delete(jwksUri);
    return jwks;
  }

  async getJwk(jwksUri: string, decomposedJwt: DecomposedJwt): Promise<JwkWithKid> {
    await this.refetchIfExpired(jwksUri);
    return super.getJwk(jwksUri, decomposedJwt);
  }

  /**
   * The cached key, without waiting, while the JWKS is within its maximum age and no refetch is under way; otherwise
   * JwksNotAvailableInCacheError, so the caller takes `getJwk`, which downloads first.
   */
  getCachedJwk(jwksUri: string, decomposedJwt: DecomposedJwt): JwkWithKid {
    if (this.refetching.has(jwksUri) || this.refetchIsDue(jwksUri)) {
      throw new JwksNotAvailableInCacheError(`JWKS for uri ${jwksUri} is older than its maximum age`);
    }
    return super.getCachedJwk(jwksUri, decomposedJwt);
  }

  private refetchIsDue(jwksUri: string): boolean {
    const fetchedAt = this.fetchedAt.get(jwksUri);
    const now = this.now();
    return fetchedAt !== undefined && now - fetchedAt >= this.maxAgeMs && now >= (this.nextRefetchAt.get(jwksUri) ?? 0);
  }

  private refetchIfExpired(jwksUri: string): Promise<void> | undefined {
    const inFlight = this.refetching.get(jwksUri);
    if (inFlight) {
      return inFlight;
    }
    if (!this.refetchIsDue(jwksUri)) {
      return undefined;
    }
    const refetch = this.getJwks(jwksUri).then(
      () => undefined,
      // The cached keys stay; the failure itself surfaces only if a connect needs a key the cache lacks.
      () => { this.nextRefetchAt.set(jwksUri, this.now() + this.refetchBackoffMs); },
    ).finally(() => this.refetching.delete(jwksUri));
    this.refetching.set(jwksUri, refetch);
    return refetch;
  }
}
