/**
 * What one run of the benchmark measures with: where it works, how many repetitions and how large each side is. The
 * full sizes are the (1,000 connects, 1,000 connections, 100 to 10,000 connections); `--quick` runs the same
 * code on tiny sizes, for the smoke test and for development.
 */
import * as path from 'node:path';

export interface BenchSizes {
  /** Repetitions of each side of a figure; each figure is the median of these. */
  readonly repetitions: number;
  /** Token verifications per repetition and verifier (figure 1). */
  readonly verifications: number;
  /** `$connect` invocations on one warm container (figure 2). */
  readonly connects: number;
  /** Fresh processes per bundle and way (figure 3). */
  readonly loadRepetitions: number;
  /** Connections of one user that `sendToUser` reaches (figure 4). */
  readonly fanOutConnections: number;
  /** Synthesized apps per way (figure 5). */
  readonly synthRepetitions: number;
  /** Connections that echo at once, and messages each sends one after the other (figure 6). */
  readonly echoConnections: number;
  readonly echoMessagesPerConnection: number;
  /** Invocations of the echo handler in the handler floor (figure 6). */
  readonly handlerFloorInvocations: number;
  /** Connection counts of the growth series (figure 6). */
  readonly growth: number[];
  /** Messages each connection sends at each point of the growth series. */
  readonly growthMessagesPerConnection: number;
}

const FULL: BenchSizes = {
  repetitions: 5,
  verifications: 2000,
  connects: 1000,
  loadRepetitions: 7,
  fanOutConnections: 1000,
  synthRepetitions: 3,
  echoConnections: 1000,
  echoMessagesPerConnection: 10,
  handlerFloorInvocations: 3000,
  growth: [100, 1000, 10_000],
  growthMessagesPerConnection: 2,
};

const QUICK: BenchSizes = {
  repetitions: 2,
  verifications: 50,
  connects: 20,
  loadRepetitions: 2,
  fanOutConnections: 20,
  synthRepetitions: 1,
  echoConnections: 20,
  echoMessagesPerConnection: 3,
  handlerFloorInvocations: 50,
  growth: [5, 20],
  growthMessagesPerConnection: 2,
};

export interface BenchSettings {
  readonly quick: boolean;
  readonly sizes: BenchSizes;
  /** The repository: its assets/ (built by `npx projen bundle`), lambda/ and node_modules/. */
  readonly repoRoot: string;
  /** A directory of this run, removed at its end. */
  readonly workDir: string;
  /** One line of progress for the person running it (stderr). */
  readonly progress: (line: string) => void;
}

export function benchSizes(quick: boolean): BenchSizes {
  return quick ? QUICK : FULL;
}

export const REPO_ROOT = path.join(__dirname, '..');

/** A bundle the build ships in assets/, e.g. `assets/authorizer/index.js` or `assets/local/cli.js`. */
export function assetPath(settings: Pick<BenchSettings, 'repoRoot'>, ...segments: string[]): string {
  return path.join(settings.repoRoot, 'assets', ...segments);
}
