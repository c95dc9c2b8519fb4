/**
 * `npm run bench [-- --quick] [-- --out <file>] [-- --only 1,6]`: measures every figure side by side in one run,
 * prints the table and writes bench/RESULTS.md (or `--out`). Needs the bundles in assets/ (the `bench` task builds
 * them first). Exits non-zero when a figure could not be measured; a missed target is reported, not an error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { benchSizes, BenchSettings, REPO_ROOT } from './bench-settings';
import { consoleTable } from './console-table';
import { FigureReport } from './figure-report';
import { measureColdStart } from './figures/cold-start';
import { fanOutUnavailable, measureFanOut } from './figures/fan-out';
import { measureJwksDownloads } from './figures/jwks-downloads';
import { measureLocalRuntime } from './figures/local-runtime';
import { measureSynth } from './figures/synth';
import { measureTokenVerification } from './figures/token-verification';
import { currentLoad, describeMachine } from './machine-description';
import { resultsMarkdown, ResultsDocument } from './results-markdown';

interface Figure {
  readonly figure: string;
  readonly title: string;
  readonly measure: (settings: BenchSettings) => Promise<FigureReport>;
  /** Why this checkout cannot measure the figure (what it measures is not there yet), or undefined when it can. */
  readonly unavailable?: (settings: BenchSettings) => string | undefined;
}

const FIGURES: Figure[] = [
  { figure: '1', title: 'Token verification', measure: measureTokenVerification },
  { figure: '2', title: 'JWKS downloads', measure: measureJwksDownloads },
  { figure: '3', title: 'Cold start', measure: measureColdStart },
  { figure: '4', title: 'Fan-out', measure: measureFanOut, unavailable: fanOutUnavailable },
  { figure: '5', title: 'cdk synth', measure: measureSynth },
  { figure: '6', title: 'Local runtime', measure: measureLocalRuntime },
];

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      out: { type: 'string', default: path.join(REPO_ROOT, 'bench', 'RESULTS.md') },
      only: { type: 'string' },
    },
  });
  const only = values.only?.split(',').map((figure) => figure.trim());
  const workDir = mkdtempSync(path.join(tmpdir(), 'cdk-cognito-ws-bench-'));
  const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const settings: BenchSettings = { quick: values.quick!, sizes: benchSizes(values.quick!), repoRoot: REPO_ROOT, workDir, progress };
  const machine = describeMachine(REPO_ROOT);
  const reports: FigureReport[] = [];
  const failures: ResultsDocument['failures'][number][] = [];
  const pending: ResultsDocument['pending'][number][] = [];
  try {
    for (const figure of FIGURES.filter((candidate) => !only || only.includes(candidate.figure))) {
      const unavailable = figure.unavailable?.(settings);
      if (unavailable) {
        progress(`figure ${figure.figure} is not measured in this checkout: ${unavailable}`);
        pending.push({ figure: figure.figure, title: figure.title, reason: unavailable });
        continue;
      }
      progress(`figure ${figure.figure}: ${figure.title}`);
      try {
        const report = await figure.measure(settings);
        reports.push(report);
        // Each figure's rows as soon as it has them: a long run cut short still shows what it measured.
        progress(`figure ${figure.figure} measured:\n${consoleTable([report])}`);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        progress(`figure ${figure.figure} could not be measured: ${reason}`);
        failures.push({ figure: figure.figure, title: figure.title, reason: reason.split('\n')[0] });
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  machine.loadAtEnd = currentLoad();
  process.stdout.write(`${consoleTable(reports)}\n`);
  const command = `npm run bench${values.quick ? ' -- --quick' : ''}`;
  writeFileSync(values.out!, resultsMarkdown({ machine, command, reports, failures, pending }));
  progress(`wrote ${path.relative(process.cwd(), values.out!) || values.out}`);
  return failures.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
