import { rateIntervalMs, ScheduleRunner, scheduledEvent } from '../../local/scheduled-functions';

describe('rate expressions', () => {
  test.each([
    ['rate(1 minute)', 60_000],
    ['rate(5 minutes)', 300_000],
    ['rate(2 hours)', 7_200_000],
    ['rate(1 day)', 86_400_000],
  ])('%s runs every %d ms', (expression, ms) => {
    expect(rateIntervalMs(expression)).toBe(ms);
  });

  test.each(['cron(0 12 * * ? *)', 'rate(0 minutes)', 'rate(1 fortnight)', 'rate(minute)'])('%s is not a rate the runtime runs', (expression) => {
    expect(rateIntervalMs(expression)).toBeUndefined();
  });
});

describe('the schedule runner', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-02T12:00:00.000Z') }));
  afterEach(() => jest.useRealTimers());

  test('invokes each function once per interval, first one interval after start, with EventBridge\'s scheduled event', async () => {
    // GIVEN a function on rate(1 minute)
    const invocations: Array<{ name: string; event: any }> = [];
    const runner = new ScheduleRunner({
      schedules: [{ functionName: 'Sweeper', ruleName: 'SweeperSchedule', everyMs: 60_000 }],
      region: 'eu-west-1',
      accountId: '000000000000',
      invoke: async (name, event) => invocations.push({ name, event }),
      log: () => undefined,
    });
    runner.start();
    // WHEN 59 seconds pass THEN nothing ran; WHEN three minutes have passed THEN it ran three times
    await jest.advanceTimersByTimeAsync(59_000);
    expect(invocations).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(121_000);
    expect(invocations.map((invocation) => invocation.name)).toEqual(['Sweeper', 'Sweeper', 'Sweeper']);
    expect(invocations[0].event).toMatchObject({
      'version': '0',
      'detail-type': 'Scheduled Event',
      'source': 'aws.events',
      'account': '000000000000',
      'region': 'eu-west-1',
      'time': '2026-12-02T12:01:00Z',
      'resources': ['arn:aws:events:eu-west-1:000000000000:rule/SweeperSchedule'],
      'detail': {},
    });
    await runner.stop();
  });

  test('a run still going when the next is due is not doubled', async () => {
    let release!: () => void;
    let calls = 0;
    const runner = new ScheduleRunner({
      schedules: [{ functionName: 'Slow', ruleName: 'SlowRule', everyMs: 60_000 }],
      region: 'eu-west-1',
      accountId: '000000000000',
      invoke: () => {
        calls++;
        return new Promise<void>((resolve) => { release = resolve; });
      },
      log: () => undefined,
    });
    runner.start();
    await jest.advanceTimersByTimeAsync(180_000);
    expect(calls).toBe(1);
    release();
    await runner.stop();
  });

  test('the target\'s Input is sent instead of the scheduled event', async () => {
    const events: unknown[] = [];
    const runner = new ScheduleRunner({
      schedules: [{ functionName: 'F', ruleName: 'R', everyMs: 60_000, input: '{"job":"nightly"}' }],
      region: 'eu-west-1',
      accountId: '000000000000',
      invoke: async (_name, event) => events.push(event),
      log: () => undefined,
    });
    await runner.runAll();
    expect(events).toEqual([{ job: 'nightly' }]);
  });

  test('the scheduled event has a fresh id each time', () => {
    const at = new Date('2026-12-02T12:00:00.000Z');
    expect(scheduledEvent('arn', 'r', 'a', at).id).not.toEqual(scheduledEvent('arn', 'r', 'a', at).id);
  });
});
