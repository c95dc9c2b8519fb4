import * as path from 'path';
import { isAlive } from './process-liveness';
import { FunctionInvocationError, FunctionRunner, LocalFunction } from '../../local/function-runner';
import { waitFor } from '../eventually';

const codeDirectory = path.join(__dirname, 'fixtures', 'handlers');

function fixture(handler: string, overrides: Partial<LocalFunction> = {}): LocalFunction {
  return { name: handler, codeDirectory, handler: `index.${handler}`, timeoutSeconds: 10, memorySizeMb: 128, environment: {}, ...overrides };
}

describe('FunctionRunner', () => {
  let runner: FunctionRunner;
  const logs: string[] = [];

  beforeEach(() => {
    logs.length = 0;
    runner = new FunctionRunner({ region: 'eu-west-1', accountId: '000000000000', onLog: (name, line) => logs.push(`${name}: ${line}`) });
  });
  afterEach(() => runner.close());

  test('reuses a warm process between invocations and gives it Lambda\'s environment, not this machine\'s', async () => {
    // GIVEN a function with its own variable, and an AWS profile in this process's environment
    process.env.AWS_PROFILE = 'someone-real';
    runner.register(fixture('count', { environment: { CUSTOM_VALUE: 'from-template' } }));
    try {
      // WHEN it runs twice in a row
      const first: any = await runner.invoke('count', {});
      const second: any = await runner.invoke('count', {});
      // THEN the same process served both (module state survived), with the function's environment only
      expect(second.pid).toBe(first.pid);
      expect([first.invocations, second.invocations]).toEqual([1, 2]);
      expect(first).toMatchObject({ region: 'eu-west-1', custom: 'from-template', profile: 'unset' });
    } finally {
      delete process.env.AWS_PROFILE;
    }
  });

  test('reports a thrown error with its type and message, as Lambda does', async () => {
    runner.register(fixture('fail'));
    await expect(runner.invoke('fail', {})).rejects.toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input' });
  });

  test('a module that loads for longer than the timeout still gets its whole timeout, as Lambda\'s init phase does', async () => {
    // GIVEN a function with a 1 s timeout whose module takes 2.5 s to load
    runner.register(fixture('slow', { handler: 'slow-init.handler', timeoutSeconds: 1 }));
    // WHEN it is invoked cold
    // THEN the load does not count against the timeout: the invocation is served
    await expect(runner.invoke('slow', {})).resolves.toBe('served after a slow init');
  });

  test('a handler whose module cannot load reports what is missing, not a module it never had', async () => {
    runner.register(fixture('missing', { handler: 'missing-dependency.handler' }));
    const error = await runner.invoke('missing', {}).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionInvocationError);
    expect((error as FunctionInvocationError).errorMessage).toMatch(/Cannot find module 'a-package-installed-nowhere'/);
  });

  test('returns the result as Lambda does, through JSON: methods dropped, dates as strings', async () => {
    runner.register(fixture('richResult'));
    await expect(runner.invoke('richResult', {})).resolves.toEqual({ statusCode: 200, body: 'ok', at: '1970-01-01T00:00:00.000Z' });
  });

  test('runs callback-style handlers with a Lambda context', async () => {
    runner.register(fixture('callbackStyle'));
    await expect(runner.invoke('callbackStyle', {})).resolves.toEqual({ remaining: true, name: 'callbackStyle' });
  });

  test('kills a process that runs past the timeout, fails that invocation, and serves the next one from a fresh process', async () => {
    // GIVEN a warm process of a function with a short timeout (yet long enough for a cold start on a busy machine)
    runner.register(fixture('pidOrFault', { timeoutSeconds: 3 }));
    const { pid: warm } = (await runner.invoke('pidOrFault', {})) as { pid: number };
    // WHEN an invocation in it hangs past the timeout
    const error = await runner.invoke('pidOrFault', { fault: 'hang' }).catch((e: unknown) => e) as FunctionInvocationError;
    // THEN that invocation fails as Lambda reports a timeout, and its process is killed
    expect(error).toBeInstanceOf(FunctionInvocationError);
    expect(error.errorType).toBe('Sandbox.Timedout');
    await waitFor(`the timed-out process ${warm} to exit`, () => !isAlive(warm));
    // AND the next invocation runs in another process
    const { pid: fresh } = (await runner.invoke('pidOrFault', {})) as { pid: number };
    expect(fresh).not.toBe(warm);
    expect(isAlive(fresh)).toBe(true);
  });

  test('survives a handler that exits its process, and the next invocation gets a fresh one', async () => {
    // GIVEN a warm process of a function
    runner.register(fixture('pidOrFault'));
    const { pid: warm } = (await runner.invoke('pidOrFault', {})) as { pid: number };
    // WHEN its handler calls process.exit
    const error = await runner.invoke('pidOrFault', { fault: 'exit' }).catch((e: unknown) => e) as FunctionInvocationError;
    // THEN that invocation fails on its own, the process is gone, and the next invocation runs in another one
    expect(error).toBeInstanceOf(FunctionInvocationError);
    expect(error.errorType).toBe('Runtime.ExitError');
    await waitFor(`the exited process ${warm} to be gone`, () => !isAlive(warm));
    const { pid: fresh } = (await runner.invoke('pidOrFault', {})) as { pid: number };
    expect(fresh).not.toBe(warm);
    expect(isAlive(fresh)).toBe(true);
  });

  test('runs concurrent invocations in separate processes, exactly maxWorkersPerFunction of them, one invocation each at a time', async () => {
    // GIVEN a runner that keeps at most 2 processes per function
    const limited = new FunctionRunner({ region: 'eu-west-1', accountId: '000000000000', maxWorkersPerFunction: 2, onLog: () => undefined });
    limited.register(fixture('count'));
    try {
      // WHEN 6 invocations arrive at once
      const results = (await Promise.all([1, 2, 3, 4, 5, 6].map(() => limited.invoke('count', {})))) as Array<{ pid: number; invocations: number }>;
      // THEN exactly 2 processes served them, and each process counted its own invocations 1, 2, 3, ... with no gap
      // or repeat (one at a time, every one answered)
      const countsByPid = new Map<number, number[]>();
      for (const { pid, invocations } of results) countsByPid.set(pid, [...(countsByPid.get(pid) ?? []), invocations]);
      expect(countsByPid.size).toBe(2);
      for (const counts of countsByPid.values()) {
        expect(counts.sort((a, b) => a - b)).toEqual(counts.map((_count, i) => i + 1));
      }
      expect(results).toHaveLength(6);
    } finally {
      await limited.close();
    }
  });

  test('close() fails an invocation still waiting for a worker instead of starting a process for it', async () => {
    runner = new FunctionRunner({ region: 'eu-west-1', accountId: '000000000000', maxWorkersPerFunction: 1, onLog: () => undefined });
    runner.register(fixture('hang'));
    const running = runner.invoke('hang', {}).then(() => undefined, (e: FunctionInvocationError) => e);
    const waiting = runner.invoke('hang', {}).then(() => undefined, (e: Error) => e);
    await runner.close();
    expect((await running)?.errorType).toBe('Runtime.ExitError');
    expect((await waiting)?.message).toBe('the function runner is stopped');
  });

  test('refuses an invocation past the bounded queue at once with Lambda\'s throttling error, and takes one again once the queue has room', async () => {
    // GIVEN a function with one process and room for 2 waiting invocations, its process busy with a hanging invocation
    runner = new FunctionRunner({
      region: 'eu-west-1', accountId: '000000000000', maxWorkersPerFunction: 1, maxQueuedInvocationsPerFunction: 2, onLog: () => undefined,
    });
    runner.register(fixture('hang', { timeoutSeconds: 3 }));
    const outcome = (invocation: Promise<unknown>) => invocation.then(() => 'resolved', (e: FunctionInvocationError) => e.errorType ?? e.message);
    const running = outcome(runner.invoke('hang', {}));
    const queued = [outcome(runner.invoke('hang', {})), outcome(runner.invoke('hang', {}))];
    // WHEN a fourth invocation arrives while 2 wait
    const refused = await runner.invoke('hang', {}).then(() => undefined, (e: unknown) => e);
    // THEN it fails at once as Lambda throttles, and the waiting ones still wait
    expect(refused).toBeInstanceOf(FunctionInvocationError);
    expect(refused).toMatchObject({ errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.' });
    expect(await stillPending(queued[1])).toBe(true);
    // AND once the running invocation times out and the first waiting one takes its place, a new one is queued again
    expect(await running).toBe('Sandbox.Timedout');
    const accepted = outcome(runner.invoke('hang', {}));
    expect(await stillPending(accepted)).toBe(true);
    await runner.close();
    expect(await Promise.all([...queued, accepted])).toEqual(['Runtime.ExitError', 'the function runner is stopped', 'the function runner is stopped']);
  });

  test('passes handler output to onLog and leaves no process behind after close', async () => {
    runner.register(fixture('disconnect'));
    runner.register(fixture('count'));
    await runner.invoke('disconnect', { requestContext: { connectionId: 'abc=', disconnectStatusCode: 1000 } });
    const { pid } = (await runner.invoke('count', {})) as any;
    expect(logs).toContain('disconnect: {"disconnected":"abc=","code":1000}');
    await runner.close();
    expect(isAlive(pid)).toBe(false);
  });
});

/** True when the promise has not settled 200 ms after the call (a refusal of the bounded queue settles at once). */
async function stillPending(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol('pending');
  const settled = await Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(pending), 200))]);
  return settled === pending;
}
