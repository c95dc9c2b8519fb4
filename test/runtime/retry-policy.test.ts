import { callWithRetry, classifyFailure, RetryPolicy } from '../../runtime/retry-policy';

/** An error shaped as the AWS SDK v3 throws it for an HTTP answer. */
function serviceError(name: string, httpStatusCode: number): Error {
  return Object.assign(new Error('not logged'), { name, $metadata: { httpStatusCode } });
}

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code}`), { code });
}

describe('classifyFailure', () => {
  test.each([
    [serviceError('GoneException', 410), 'gone'],
    [serviceError('SomethingElse', 410), 'gone'],
    [serviceError('LimitExceededException', 429), 'retryable'],
    [serviceError('InternalServerErrorException', 500), 'retryable'],
    [serviceError('Unknown', 503), 'retryable'],
    [networkError('ECONNRESET'), 'retryable'],
    [networkError('ECONNREFUSED'), 'retryable'],
    [new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:9'), 'retryable'],
    [serviceError('PayloadTooLargeException', 413), 'final'],
    [serviceError('ForbiddenException', 403), 'final'],
    [serviceError('BadRequestException', 400), 'final'],
    [Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'final'],
    [new Error('Region is missing'), 'final'],
    ['a string', 'final'],
  ])('%s is %s', (error, kind) => {
    expect(classifyFailure(error).kind).toBe(kind);
  });

  test('the reason is the error\'s name and HTTP status, never its message', () => {
    expect(classifyFailure(serviceError('PayloadTooLargeException', 413))).toEqual({
      kind: 'final', reason: 'PayloadTooLargeException (HTTP 413)', statusCode: 413,
    });
    expect(classifyFailure(networkError('ECONNRESET')).reason).toBe('Error (ECONNRESET)');
  });

  test('a failure without an answer says what the client reported, briefly', () => {
    expect(classifyFailure(new Error('Region is missing')).reason).toBe('Error: Region is missing');
    expect(classifyFailure(new Error('x'.repeat(500))).reason).toHaveLength('Error: '.length + 200);
  });
});

describe('callWithRetry', () => {
  const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 };

  async function run(failures: unknown[], random = () => 0.999) {
    const sleeps: number[] = [];
    let calls = 0;
    const outcome = await callWithRetry(async () => {
      const failure = failures[calls++];
      if (failure) throw failure;
    }, policy, random, async (ms) => {
      sleeps.push(ms);
    });
    return { outcome, calls, sleeps };
  }

  test('retries throttling with full-jitter backoff whose bound doubles up to maxDelayMs', async () => {
    const throttled = serviceError('LimitExceededException', 429);
    const { outcome, calls, sleeps } = await run([throttled, throttled, throttled]);
    expect(outcome).toEqual({ status: 'ok' });
    expect(calls).toBe(4);
    // random() just under 1 waits just under each bound: 100, 200, then 250 (capped)
    expect(sleeps).toEqual([99, 199, 249]);
    expect((await run([throttled], () => 0)).sleeps).toEqual([0]);
  });

  test('gives up after maxAttempts, with the last reason and the attempts made', async () => {
    const { outcome, calls } = await run(Array(10).fill(serviceError('InternalServerErrorException', 500)));
    expect(outcome).toEqual({ status: 'failed', reason: 'InternalServerErrorException (HTTP 500)', statusCode: 500, attempts: 4 });
    expect(calls).toBe(4);
  });

  test('a gone connection or a final answer ends at once, without a wait', async () => {
    expect(await run([serviceError('GoneException', 410)])).toEqual({ outcome: { status: 'gone' }, calls: 1, sleeps: [] });
    const tooLarge = await run([serviceError('PayloadTooLargeException', 413)]);
    expect(tooLarge.outcome).toMatchObject({ status: 'failed', attempts: 1, statusCode: 413 });
    expect(tooLarge.sleeps).toEqual([]);
  });
});
