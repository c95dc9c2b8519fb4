import { ChildProcess, spawn, SpawnOptions } from 'child_process';
import * as readline from 'readline';
import { DEFAULT_POLL_DEADLINE_MS } from '../eventually';

/** The CLI's `--json` endpoints line, as the tests of an app with one user pool and the demo user read it. */
export interface CliEndpointsLine {
  readonly websocketUrl: string;
  readonly callbackUrl: string;
  readonly webUrl: string;
  readonly cognitoEndpoint: string;
  readonly dynamoDbEndpoint: string;
  readonly tables: Record<string, string>;
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly demoUser: { readonly username: string; readonly password: string };
}

/** A running `cdk-cognito-websocket-api local` process, as a test drives it. */
export interface CliProcess {
  readonly child: ChildProcess;
  /** Every line written to stderr so far. */
  readonly stderr: string[];
  /** Resolves with the exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** Resolves with the first stdout line (the endpoints with --json); rejects if the process exits first or the deadline passes. */
  readonly firstLine: Promise<string>;
}

/** Starts the CLI (`command` is node or the installed bin), collecting its output. */
export function startCli(command: string, args: string[], options: SpawnOptions = {}, deadlineMs = 60_000): CliProcess {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const firstLine = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no stdout line within ${deadlineMs} ms: ${stderr.join('\n')}`)), deadlineMs);
    readline.createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing a line: ${stderr.join('\n')}`));
    });
  });
  // A test that fails before reading the line must not also leave an unhandled rejection behind.
  firstLine.catch(() => undefined);
  return { child, stderr, exited, firstLine };
}

/** Resolves with the exit code, or fails naming `what` once the deadline has passed. */
export function exitWithin(cli: CliProcess, what: string, deadlineMs = DEFAULT_POLL_DEADLINE_MS): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still running after ${deadlineMs} ms`)), deadlineMs);
  });
  return Promise.race([cli.exited, deadline]).finally(() => clearTimeout(timer));
}

/** For `finally`: kills the process if it is still running and waits until it has exited. */
export async function ensureStopped(cli: CliProcess): Promise<void> {
  if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  await cli.exited;
}
