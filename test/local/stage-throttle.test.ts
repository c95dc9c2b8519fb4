import { ACCOUNT_DEFAULT_LIMITS, StageThrottle, stageThrottleSettings } from '../../local/stage-throttle';
import { TokenBucket } from '../../local/token-bucket';

/** How many of `count` requests at `now` a check lets through. */
function allowedOf(count: number, check: () => boolean): number {
  let allowed = 0;
  for (let i = 0; i < count; i++) if (check()) allowed++;
  return allowed;
}

describe('TokenBucket', () => {
  test('lets a burst of its size through at once, then refills at its rate', () => {
    // GIVEN a bucket of 5 refilled at 2 a second
    const bucket = new TokenBucket(2, 5, 0);
    // WHEN 8 requests arrive at once THEN 5 pass
    expect(allowedOf(8, () => bucket.take(0))).toBe(5);
    // AND half a second later one more passes (2 a second), and no second one
    expect(allowedOf(2, () => bucket.take(500))).toBe(1);
    // AND after a long pause the bucket holds its size, not more
    expect(allowedOf(20, () => bucket.take(60_000))).toBe(5);
  });

  test('a burst of 0 lets nothing through, as API Gateway does for a route turned off that way', () => {
    const bucket = new TokenBucket(100, 0, 0);
    expect(allowedOf(3, () => bucket.take(10_000))).toBe(0);
  });
});

describe('StageThrottle', () => {
  test('gives each route its own bucket with the stage default limits, and a route setting overrides them limit by limit', () => {
    // GIVEN default limits of 1 a second in bursts of 3, and a route whose burst is 1
    const throttle = new StageThrottle({ defaultRoute: { rateLimit: 1, burstLimit: 3 }, routes: { sendmessage: { burstLimit: 1 } } });
    // WHEN each route gets 10 requests at once
    // THEN $default and $connect each let 3 through (one bucket each, not one for the stage), sendmessage 1
    expect(allowedOf(10, () => throttle.allow('$default', 0))).toBe(3);
    expect(allowedOf(10, () => throttle.allow('$connect', 0))).toBe(3);
    expect(allowedOf(10, () => throttle.allow('sendmessage', 0))).toBe(1);
    // AND sendmessage refills at the default rate it did not override
    expect(throttle.allow('sendmessage', 1000)).toBe(true);
  });

  test('without limits nothing is throttled', () => {
    const throttle = new StageThrottle({});
    expect(allowedOf(100_000, () => throttle.allow('$default', 0))).toBe(100_000);
  });

  test('a route with only a rate takes the account default burst', () => {
    const throttle = new StageThrottle({ routes: { $default: { rateLimit: 1 } } });
    expect(allowedOf(ACCOUNT_DEFAULT_LIMITS.burstLimit + 10, () => throttle.allow('$default', 0))).toBe(ACCOUNT_DEFAULT_LIMITS.burstLimit);
  });
});

describe('stageThrottleSettings', () => {
  test('reads DefaultRouteSettings and RouteSettings of a stage', () => {
    // GIVEN a stage as CloudFormation takes it, a number written as a string among them
    const settings = stageThrottleSettings({
      StageName: 'prod',
      DefaultRouteSettings: { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000, DataTraceEnabled: false },
      RouteSettings: { sendmessage: { ThrottlingBurstLimit: '10' }, $connect: { LoggingLevel: 'INFO' } },
    }, () => undefined);
    // THEN the limits are read, and a route setting without a limit adds none
    expect(settings).toEqual({
      defaultRoute: { rateLimit: 500, burstLimit: 1000 },
      routes: { sendmessage: { rateLimit: undefined, burstLimit: 10 } },
    });
  });

  test('leaves out a limit that is not a number, naming it', () => {
    const ignored: string[] = [];
    const settings = stageThrottleSettings({ DefaultRouteSettings: { ThrottlingRateLimit: { Ref: 'Rate' }, ThrottlingBurstLimit: 5 } },
      (setting) => ignored.push(setting));
    expect(settings.defaultRoute).toEqual({ rateLimit: undefined, burstLimit: 5 });
    expect(ignored).toEqual(['DefaultRouteSettings.ThrottlingRateLimit']);
  });

  test('a stage without settings has no limits', () => {
    expect(stageThrottleSettings(undefined, () => undefined)).toEqual({ defaultRoute: undefined, routes: {} });
  });
});
