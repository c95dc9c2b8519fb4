/**
 * The throttle of a WebSocket API stage, as API Gateway applies it: route-level limits, each route of the stage with
 * its own token bucket. `DefaultRouteSettings` gives every route its limits; an entry of `RouteSettings` overrides
 * them for its route, limit by limit. A route with neither limit anywhere is not throttled here: API Gateway would
 * still hold it to the account's limit (10,000 requests a second, bursts of 5,000, shared by every API of the
 * account and region, and raised on request), which a laptop cannot know. A route with one limit only takes the
 * account's default for the other.
 */
import { TokenBucket } from './token-bucket';

/** The throttle limits of a route (`ThrottlingRateLimit`, `ThrottlingBurstLimit`). */
export interface ThrottleLimits {
  /** Requests a second, steady state. */
  readonly rateLimit?: number;
  /** The bucket's size: requests at once. */
  readonly burstLimit?: number;
}

/** The throttle settings of a stage. */
export interface StageThrottleSettings {
  /** From the stage's `DefaultRouteSettings`. */
  readonly defaultRoute?: ThrottleLimits;
  /** From the stage's `RouteSettings`, by route key. */
  readonly routes?: Readonly<Record<string, ThrottleLimits>>;
}

/** API Gateway's account-level default limits, per region. */
export const ACCOUNT_DEFAULT_LIMITS = { rateLimit: 10_000, burstLimit: 5_000 } as const;

/** The stage's limits per route: `allow(routeKey)` takes a token from that route's bucket. */
export class StageThrottle {
  /** A route's bucket, or null for a route without limits; made at its first request. */
  private readonly buckets = new Map<string, TokenBucket | null>();

  constructor(private readonly settings: StageThrottleSettings = {}) {}

  /**
   * Whether a request on `routeKey` is within the route's limits (and takes its token). A route without limits costs
   * one map lookup: not even the clock is read.
   */
  allow(routeKey: string, now?: number): boolean {
    let bucket = this.buckets.get(routeKey);
    if (bucket === undefined) {
      bucket = this.bucketOf(routeKey, now ?? Date.now());
      this.buckets.set(routeKey, bucket);
    }
    return bucket === null || bucket.take(now ?? Date.now());
  }

  private bucketOf(routeKey: string, now: number): TokenBucket | null {
    const route = this.settings.routes?.[routeKey];
    const rateLimit = route?.rateLimit ?? this.settings.defaultRoute?.rateLimit;
    const burstLimit = route?.burstLimit ?? this.settings.defaultRoute?.burstLimit;
    if (rateLimit === undefined && burstLimit === undefined) return null;
    return new TokenBucket(rateLimit ?? ACCOUNT_DEFAULT_LIMITS.rateLimit, burstLimit ?? ACCOUNT_DEFAULT_LIMITS.burstLimit, now);
  }
}

/**
 * The throttle settings of an `AWS::ApiGatewayV2::Stage`'s (resolved) properties. A limit that is not a number
 * (an unresolved reference) is left out, and `onIgnored` is told which.
 */
export function stageThrottleSettings(properties: Record<string, unknown> | undefined, onIgnored: (setting: string) => void): StageThrottleSettings {
  const limitsOf = (settings: unknown, where: string): ThrottleLimits | undefined => {
    if (typeof settings !== 'object' || settings === null) return undefined;
    const { ThrottlingRateLimit: rate, ThrottlingBurstLimit: burst } = settings as Record<string, unknown>;
    const number = (value: unknown, name: string): number | undefined => {
      if (value === undefined) return undefined;
      const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof parsed === 'number' && Number.isFinite(parsed) && parsed >= 0) return parsed;
      onIgnored(`${where}.${name}`);
      return undefined;
    };
    const limits = { rateLimit: number(rate, 'ThrottlingRateLimit'), burstLimit: number(burst, 'ThrottlingBurstLimit') };
    return limits.rateLimit === undefined && limits.burstLimit === undefined ? undefined : limits;
  };
  const routeSettings = properties?.RouteSettings;
  const routes: Record<string, ThrottleLimits> = {};
  if (typeof routeSettings === 'object' && routeSettings !== null) {
    for (const [routeKey, settings] of Object.entries(routeSettings)) {
      const limits = limitsOf(settings, `RouteSettings.${routeKey}`);
      if (limits) routes[routeKey] = limits;
    }
  }
  return { defaultRoute: limitsOf(properties?.DefaultRouteSettings, 'DefaultRouteSettings'), routes };
}
