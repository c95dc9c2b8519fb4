import * as path from 'path';
import { isAlive } from './process-liveness';
import { FunctionInvocationError, FunctionRunner, LocalFunction } from '../../local/function-runner';

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

  test('returns the result as Lambda does, through JSON: methods dropped, dates as strings', async () => {
    runner.register(fixture('richResult'));
    await expect(runner.invoke('richResult', {})).resolves.toEqual({ statusCode: 200, body: 'ok', at: '1970-01-01T00:00:00.000Z' });
  });

  test('runs callback-style handlers with a Lambda context', async () => {
    runner.register(fixture('callbackStyle'));
    await expect(runner.invoke('callbackStyle', {})).resolves.toEqual({ remaining: true, name: 'callbackStyle' });
  });

  test('kills a process that runs past the timeout, fails that invocation, and keeps serving', async () => {
    runner.register(fixture('hang', { timeoutSeconds: 1 }));
    runner.register(fixture('count'));
    const error = await runner.invoke('hang', {}).catch((e) => e);
    expect(error).toBeInstanceOf(FunctionInvocationError);
    expect(error.errorType).toBe('Sandbox.Timedout');
    // the runner itself still serves
    await expect(runner.invoke('count', {})).resolves.toMatchObject({ invocations: 1 });
  });

  test('survives a handler that exits its process, and the next invocation gets a fresh one', async () => {
    // GIVEN a function whose handler calls process.exit
    runner.register(fixture('crash'));
    // WHEN it runs twice
    const first = await runner.invoke('crash', {}).catch((e) => e);
    const second = await runner.invoke('crash', {}).catch((e) => e);
    // THEN each invocation fails on its own, and nothing else is affected
    expect(first.errorType).toBe('Runtime.ExitError');
    expect(second.errorType).toBe('Runtime.ExitError');
  });

  test('runs concurrent invocations in separate processes, at most maxWorkersPerFunction', async () => {
    const limited = new FunctionRunner({ region: 'eu-west-1', accountId: '000000000000', maxWorkersPerFunction: 2, onLog: () => undefined });
    limited.register(fixture('count'));
    try {
      const results: any[] = await Promise.all([1, 2, 3, 4, 5, 6].map(() => limited.invoke('count', {})));
      const pids = new Set(results.map((result) => result.pid));
      expect(pids.size).toBeLessThanOrEqual(2);
      expect(results).toHaveLength(6);
    } finally {
      await limited.close();
    }
  });

  test('close() fails an invocation still waiting for a worker instead of starting a process for it', async () => {
    runner = new FunctionRunner({ region: 'eu-west-1', accountId: '000000000000', maxWorkersPerFunction: 1, onLog: () => undefined });
    runner.register(fixture('hang'));
    const running = runner.invoke('hang', {}).catch((e) => e);
    const waiting = runner.invoke('hang', {}).catch((e) => e);
    await runner.close();
    expect((await running).errorType).toBe('Runtime.ExitError');
    expect((await waiting).message).toBe('the function runner is stopped');
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
