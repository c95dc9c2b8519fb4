/**
 * Runs one measurement in a fresh Node.js process, so each side starts from the same state (no JIT warmth, caches or
 * garbage of another side), and returns the one result the process sends over IPC.
 */
import { fork } from 'node:child_process';
import * as path from 'node:path';

export interface ChildOptions {
  /** Environment variables on top of PATH alone: nothing of the benchmark's own environment leaks in. */
  readonly env?: Record<string, string>;
  /** Modules to `--require` before the script (e.g. the JWKS preload). */
  readonly preloads?: string[];
  readonly args?: string[];
  /** Sent to the child as its first IPC message: what to measure. */
  readonly input?: unknown;
  /** The child is killed and the measurement fails after this long. */
  readonly deadlineMs: number;
}

/** Runs a TypeScript file of bench/ (through ts-node) and resolves with the first message it sends. */
export function runTypeScriptChild<Result>(script: string, options: ChildOptions): Promise<Result> {
  const execArgv = ['--require', require.resolve('ts-node/register/transpile-only')];
  const env = { TS_NODE_PROJECT: path.join(__dirname, 'tsconfig.json') };
  return runChild<Result>(script, { ...options, env: { ...env, ...options.env } }, execArgv);
}

/** Runs a JavaScript file and resolves with the first message it sends. */
export function runJavaScriptChild<Result>(script: string, options: ChildOptions): Promise<Result> {
  return runChild<Result>(script, options, []);
}

function runChild<Result>(script: string, options: ChildOptions, execArgv: string[]): Promise<Result> {
  const child = fork(script, options.args ?? [], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
    execArgv: [...execArgv, ...(options.preloads ?? []).flatMap((preload) => ['--require', preload])],
    // Handlers log a line per invocation; Lambda's log pipe is not part of what is measured, so stdout goes nowhere.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  if (options.input !== undefined) child.send(options.input as object);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
  return new Promise<Result>((resolve, reject) => {
    let result: { value: Result } | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(script)} did not finish within ${options.deadlineMs} ms`));
    }, options.deadlineMs);
    child.once('message', (message) => { result = { value: message as Result }; });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (result && code === 0) resolve(result.value);
      else reject(new Error(`${path.basename(script)} exited with ${signal ?? code} and no result:\n${stderr}`));
    });
  });
}

/** Hands the result to the benchmark and ends the child. */
function reportToParent(result: unknown): void {
  process.send!(result, () => process.exit(0));
}

/** A child script's entry: waits for its input, runs `measure` on it and hands the result to the benchmark. */
export function measureOnInput<Input>(measure: (input: Input) => Promise<unknown>): void {
  process.once('message', (input: Input) => {
    measure(input).then(reportToParent, (error) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    });
  });
}
