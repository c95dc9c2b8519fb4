/** The machine a run measured on, as the report's header states it: figures are only comparable on one machine. */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';

export interface MachineDescription {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
  /** ISO date and time the run started. */
  readonly date: string;
  /** The commit measured, with `+changes` when the work tree differed from it. */
  readonly commit: string;
  /** 1-minute load average when the run started and when it ended: how busy the machine was. */
  readonly loadAtStart: number;
  loadAtEnd?: number;
}

export function describeMachine(repoRoot: string): MachineDescription {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    commit: currentCommit(repoRoot),
    loadAtStart: loadavg()[0],
  };
}

export function currentLoad(): number {
  return loadavg()[0];
}

function currentCommit(repoRoot: string): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no') === '' ? commit : `${commit}+changes`;
  } catch {
    return 'unknown (not a git work tree)';
  }
}
