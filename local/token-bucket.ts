/**
 * API Gateway's throttle: a token bucket that holds at most `burstLimit` tokens, refills at `rateLimit` tokens a
 * second, and lets a request through when it can take a token. It starts full. The refill is computed from the time
 * elapsed when a request arrives, so an idle bucket costs nothing: no timer.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(private readonly rateLimit: number, private readonly burstLimit: number, now = Date.now()) {
    this.tokens = burstLimit;
    this.refilledAt = now;
  }

  /** Takes a token if there is one; false when the request is over the limit. */
  take(now = Date.now()): boolean {
    const elapsedMs = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.burstLimit, this.tokens + (elapsedMs * this.rateLimit) / 1000);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
