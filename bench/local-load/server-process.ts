/**
 * A server under load in its own process, as a developer runs it: started, asked for the URL it listens on (the
 * first stdout line, JSON), measured for resident memory (its process and its children, the function workers), and
 * stopped with SIGTERM, timed until it exits.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { withDeadline } from './websocket-load';

const START_DEADLINE_MS = 120_000;

export interface ServerProcess<Ready> {
  /** What the server printed as its first stdout line. */
  readonly ready: Ready;
  /** Resident memory in MB of the server process alone, and with its child processes. */
  residentMb(): { readonly main: number; readonly withChildren: number };
  /** SIGTERM, then milliseconds until the process exited; SIGKILL and an error after `deadlineMs`. */
  stop(deadlineMs: number): Promise<number>;
}

export async function startServerProcess<Ready>(command: string, args: string[],
  options: { readonly cwd: string; readonly env?: Record<string, string> }): Promise<ServerProcess<Ready>> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
    // Handler logs (a line per invocation) go to stderr: read and dropped, as a terminal would scroll them away.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const firstLine = await withDeadline(new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`${args[0] ?? command} exited with ${code} before it was ready`)));
    }), START_DEADLINE_MS, `${args[0] ?? command} to start`);
    child.stdout!.resume();
    return {
      ready: JSON.parse(firstLine) as Ready,
      residentMb: () => residentMb(child),
      stop: (deadlineMs) => stopProcess(child, exited, deadlineMs),
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

async function stopProcess(child: ChildProcess, exited: Promise<void>, deadlineMs: number): Promise<number> {
  const start = performance.now();
  child.kill('SIGTERM');
  try {
    await withDeadline(exited, deadlineMs, 'the server to stop');
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return performance.now() - start;
}

function residentMb(child: ChildProcess): { main: number; withChildren: number } {
  const main = residentKb(child.pid!);
  const children = childPids(child.pid!).reduce((sum, pid) => sum + residentKb(pid), 0);
  return { main: main / 1024, withChildren: (main + children) / 1024 };
}

function residentKb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
