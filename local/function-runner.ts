import { ChildProcess, fork } from 'child_process';
import { randomUUID } from 'crypto';
import { existsSync } from 'fs';
import { availableParallelism } from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { BatchedLineWriter } from './batched-line-writer';
import { InvocationContext, InvokeMessage, isInitDone, isWorkerReply } from './function-messages';

/** A Lambda function as the local runtime runs it. */
export interface LocalFunction {
  /** The function name handlers see in `context.functionName` and `AWS_LAMBDA_FUNCTION_NAME`. */
  readonly name: string;
  /** Directory holding the handler's module (the asset directory in cdk.out, or a directory of inline code). */
  readonly codeDirectory: string;
  /** Lambda handler string, e.g. `index.handler`. */
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
  /** The function's environment variables, already resolved to local values. */
  readonly environment: Record<string, string>;
}

export interface FunctionRunnerOptions {
  readonly region: string;
  readonly accountId: string;
  /** Added to every function's environment (local endpoints); the function's own variables win. */
  readonly sharedEnvironment?: Record<string, string>;
  /** Scripts each worker loads with `--require` before the handler (the JWKS interceptor). */
  readonly preloads?: string[];
  /**
   * `node_modules` directories every function finds modules in after its own, as Lambda's Node.js runtime gives each
   * function the AWS SDK v3 from `/var/runtime/node_modules` (on `NODE_PATH`). @default - none
   */
  readonly runtimeModulePaths?: string[];
  /**
   * Warm processes kept per function, at most; more concurrent invocations wait.
   * Measured with 1,000 connections x 10 messages on 2 cores: more processes than cores only adds cold starts.
   * @default - the number of cores (os.availableParallelism)
   */
  readonly maxWorkersPerFunction?: number;
  /**
   * Invocations of one function that wait for a worker, at most. Past it an invocation fails at once with Lambda's
   * throttling error (`TooManyRequestsException`, "Rate Exceeded."), which a caller of Lambda's synchronous Invoke
   * gets when the function has no concurrency left, instead of queueing without end: the queue holds each waiting
   * event, so a flood cannot grow the runtime's memory past this many events per function.
   * @default DEFAULT_MAX_QUEUED_INVOCATIONS (10,000: every connection of a 10,000-connection runtime sending at once)
   */
  readonly maxQueuedInvocationsPerFunction?: number;
  /** Receives each line a handler writes to stdout or stderr. @default - written to stderr, prefixed by the function name */
  readonly onLog?: (functionName: string, line: string) => void;
}

/** Invocations of one function that may wait for a worker when `maxQueuedInvocationsPerFunction` is not given. */
export const DEFAULT_MAX_QUEUED_INVOCATIONS = 10_000;

/** An invocation that failed as Lambda reports it: `errorType` and `errorMessage`. */
export class FunctionInvocationError extends Error {
  constructor(readonly functionName: string, readonly errorType: string, readonly errorMessage: string) {
    super(`${functionName} failed: ${errorType}: ${errorMessage}`);
  }
}

/**
 * Lambda's limit on a function's init phase (loading its module), which does not count against the function's
 * timeout; past it the invocation starts anyway and its timeout ends a process still stuck loading.
 */
export const INIT_TIMEOUT_MS = 10_000;

/** The invocation a worker is running: its reply, its timeout or its exit settles it. */
interface RunningInvocation {
  readonly id: number;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

interface Worker {
  readonly process: ChildProcess;
  readonly exited: Promise<void>;
  /** Resolves when the worker's init phase is over, it exited, or INIT_TIMEOUT_MS passed. */
  readonly initialized: Promise<void>;
  busy: boolean;
  current?: RunningInvocation;
}

/**
 * Runs Lambda functions in forked worker processes: warm reuse between invocations, one invocation per process
 * at a time, and a process that crashes or runs past the function's timeout is killed and replaced, so no
 * handler can take the gateway down.
 */
export class FunctionRunner {
  private readonly functions = new Map<string, LocalFunction>();
  private readonly workers = new Map<string, Worker[]>();
  private readonly waiting = new Map<string, Array<{ resolve(worker: Worker): void; reject(error: Error): void }>>();
  /** Every worker not yet exited, retired ones included, so close() waits for all of them. */
  private readonly allStarted = new Set<Worker>();
  private nextInvocationId = 1;
  private closed = false;
  /** The default `onLog`: handler lines to stderr, a write per turn of the event loop rather than per line. */
  private readonly stderrLines = new BatchedLineWriter(process.stderr);

  constructor(private readonly options: FunctionRunnerOptions) {}

  register(fn: LocalFunction): void {
    this.functions.set(fn.name, fn);
  }

  get functionNames(): string[] {
    return [...this.functions.keys()];
  }

  async invoke(functionName: string, event: unknown): Promise<unknown> {
    const fn = this.functions.get(functionName);
    if (!fn) throw new Error(`no local function named ${functionName}`);
    const worker = await this.acquireWorker(fn);
    try {
      return await this.run(worker, fn, event);
    } finally {
      this.releaseWorker(fn.name, worker);
    }
  }

  /** Kills every worker and waits until each has exited. */
  async close(): Promise<void> {
    this.closed = true;
    // Invocations still waiting for a worker fail now; handing them a worker would start a process after close().
    for (const queue of this.waiting.values()) {
      for (const waiter of queue.splice(0)) waiter.reject(new Error('the function runner is stopped'));
    }
    const all = [...this.workers.values()].flat();
    for (const worker of [...all, ...this.allStarted]) worker.process.kill('SIGKILL');
    await Promise.all([...this.allStarted].map((worker) => worker.exited));
    this.workers.clear();
    this.stderrLines.flush();
  }

  private run(worker: Worker, fn: LocalFunction, event: unknown): Promise<unknown> {
    const id = this.nextInvocationId++;
    const timeoutMs = fn.timeoutSeconds * 1000;
    return new Promise<unknown>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      worker.current = {
        id,
        resolve: (result) => { clearTimeout(timer); resolve(result); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      };
      // The timeout counts from the end of the init phase, as in Lambda: a cold start is not part of it.
      void worker.initialized.then(() => {
        if (worker.current?.id !== id) return; // the process exited while loading: the invocation failed already
        timer = setTimeout(() => {
          worker.current = undefined;
          // As in Lambda, the runtime that timed out is discarded; the next invocation starts cold.
          this.retire(fn.name, worker);
          reject(new FunctionInvocationError(fn.name, 'Sandbox.Timedout', `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`));
        }, timeoutMs);
        const message: InvokeMessage = { id, event, context: this.invocationContext(fn, worker, Date.now() + timeoutMs) };
        worker.process.send(message);
      });
    });
  }

  private invocationContext(fn: LocalFunction, worker: Worker, deadlineMs: number): InvocationContext {
    return {
      functionName: fn.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${this.options.region}:${this.options.accountId}:function:${fn.name}`,
      memoryLimitInMB: String(fn.memorySizeMb),
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${fn.name}`,
      logStreamName: `local/[$LATEST]${worker.process.pid}`,
      deadlineMs,
    };
  }

  private async acquireWorker(fn: LocalFunction): Promise<Worker> {
    if (this.closed) throw new Error('the function runner is stopped');
    const workers = this.workers.get(fn.name) ?? [];
    this.workers.set(fn.name, workers);
    const idle = workers.find((worker) => !worker.busy);
    if (idle) {
      idle.busy = true;
      return idle;
    }
    if (workers.length < (this.options.maxWorkersPerFunction ?? availableParallelism())) {
      const worker = this.startWorker(fn);
      worker.busy = true;
      workers.push(worker);
      return worker;
    }
    const queue = this.waiting.get(fn.name) ?? [];
    this.waiting.set(fn.name, queue);
    if (queue.length >= (this.options.maxQueuedInvocationsPerFunction ?? DEFAULT_MAX_QUEUED_INVOCATIONS)) {
      throw new FunctionInvocationError(fn.name, 'TooManyRequestsException', 'Rate Exceeded.');
    }
    return new Promise((resolve, reject) => queue.push({ resolve, reject }));
  }

  private retire(functionName: string, worker: Worker): void {
    this.forget(functionName, worker);
    worker.process.kill('SIGKILL');
  }

  /** Takes the worker out of the function's pool; no invocation is handed to it any more. */
  private forget(functionName: string, worker: Worker): void {
    const workers = this.workers.get(functionName) ?? [];
    if (workers.includes(worker)) workers.splice(workers.indexOf(worker), 1);
  }

  private releaseWorker(functionName: string, worker: Worker): void {
    const workers = this.workers.get(functionName) ?? [];
    const alive = workers.includes(worker);
    const next = this.waiting.get(functionName)?.shift();
    if (!next) {
      worker.busy = false;
      return;
    }
    if (alive) {
      next.resolve(worker);
    } else {
      // The worker died (crash or timeout): hand the waiting invocation a fresh one.
      const fn = this.functions.get(functionName)!;
      const fresh = this.startWorker(fn);
      fresh.busy = true;
      workers.push(fresh);
      next.resolve(fresh);
    }
  }

  private startWorker(fn: LocalFunction): Worker {
    const script = companionScript('function-worker');
    const preloads = this.options.preloads ?? [];
    const child = fork(script.path, [fn.codeDirectory, fn.handler], {
      cwd: fn.codeDirectory,
      env: { ...this.lambdaEnvironment(fn), ...script.environment, ...this.options.sharedEnvironment, ...fn.environment, ...this.nodePath(fn) },
      execArgv: [...script.execArgv, ...preloads.flatMap((preload) => ['--require', preload])],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Lambda hands a handler its event as JSON; the channel's JSON framing is also cheaper than V8's serializer for
      // these plain objects.
      serialization: 'json',
    });
    const onLog = this.options.onLog ?? ((name, line) => this.stderrLines.write(`[${name}] ${line}`));
    for (const stream of [child.stdout!, child.stderr!]) {
      readline.createInterface({ input: stream }).on('line', (line) => onLog(fn.name, line));
    }
    let endInit!: () => void;
    const initialized = new Promise<void>((resolve) => { endInit = resolve; });
    const initTimer = setTimeout(endInit, INIT_TIMEOUT_MS);
    void initialized.then(() => clearTimeout(initTimer));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const worker: Worker = { process: child, busy: false, exited, initialized };
    this.allStarted.add(worker);
    child.on('message', (message) => (isInitDone(message) ? endInit() : settle(worker, fn.name, message)));
    child.once('exit', (code, signal) => {
      endInit();
      this.forget(fn.name, worker);
      this.allStarted.delete(worker);
      const running = worker.current;
      worker.current = undefined;
      running?.reject(new FunctionInvocationError(fn.name, 'Runtime.ExitError',
        `RequestId: the runtime exited (${signal ?? `exit status ${code}`}) during the invocation`));
    });
    child.on('error', () => undefined);
    return worker;
  }

  /** The function's own `NODE_PATH` (its layers'), then the runtime's modules, as in Lambda. */
  private nodePath(fn: LocalFunction): { NODE_PATH?: string } {
    const paths = [fn.environment.NODE_PATH, ...(this.options.runtimeModulePaths ?? [])].filter((entry) => entry);
    return paths.length > 0 ? { NODE_PATH: paths.join(path.delimiter) } : {};
  }

  /** What Lambda gives a function, and nothing of this machine's environment (no AWS profile, no NODE_OPTIONS). */
  private lambdaEnvironment(fn: LocalFunction): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      AWS_REGION: this.options.region,
      AWS_DEFAULT_REGION: this.options.region,
      AWS_ACCESS_KEY_ID: 'LOCALRUNTIMEACCESSKEY',
      AWS_SECRET_ACCESS_KEY: 'local-runtime-secret-access-key',
      AWS_SESSION_TOKEN: 'local-runtime-session-token',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySizeMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
      LAMBDA_TASK_ROOT: fn.codeDirectory,
    };
  }
}

/** Settles the worker's running invocation with its reply; a reply to anything else (a timed-out invocation) is dropped. */
function settle(worker: Worker, functionName: string, message: unknown): void {
  const running = worker.current;
  if (!running || !isWorkerReply(message) || message.id !== running.id) return;
  worker.current = undefined;
  if (message.ok) running.resolve(message.result);
  else running.reject(new FunctionInvocationError(functionName, message.errorType, message.errorMessage));
}

/**
 * A script that ships beside this module: the bundled `.js` in the package (assets/local/), or, when this module
 * runs from its TypeScript source (tests, development), the `.ts` source run through ts-node.
 */
export function companionScript(name: string): { path: string; execArgv: string[]; environment: Record<string, string> } {
  if (__filename.endsWith('.ts')) {
    return {
      path: path.join(__dirname, `${name}.ts`),
      execArgv: ['--require', require.resolve('ts-node/register/transpile-only')],
      environment: { TS_NODE_PROJECT: path.join(__dirname, 'tsconfig.json') },
    };
  }
  const bundled = path.join(__dirname, `${name}.js`);
  if (!existsSync(bundled)) throw new Error(`${bundled} is missing: the package was built without the local runtime`);
  return { path: bundled, execArgv: [], environment: {} };
}
