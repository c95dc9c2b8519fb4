import { execFile } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { HandlerAssets } from '../../src/wire-contract';

// The benchmark's smoke test: `npm run bench -- --quick` on tiny sizes completes and produces every figure. It asserts
// what the run produces, never a timing, and writes to a temporary file, never to the committed bench/RESULTS.md.
const REPO = path.join(__dirname, '..', '..');
const RESULTS = path.join(REPO, 'bench', 'RESULTS.md');
// Figure 4 measures the runtime API's sendToUser: until runtime/ is in the checkout, it is listed as pending.
const HAS_RUNTIME_API = existsSync(path.join(REPO, 'runtime', 'index.ts'));
const MEASURED_FIGURES = HAS_RUNTIME_API ? ['1', '2', '3', '4', '5', '6'] : ['1', '2', '3', '5', '6'];

describe('npm run bench -- --quick', () => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'bench-quick-test-'));
  const out = path.join(outDir, 'RESULTS.md');
  let stdout = '';
  let results = '';
  const committedBefore = modifiedAt(RESULTS);

  beforeAll(async () => {
    // WHEN the quick benchmark runs (the bundles in assets/ are built by the test setup, as the bench task builds them)
    ({ stdout } = await promisify(execFile)(process.execPath, [
      '--require', require.resolve('ts-node/register/transpile-only'), path.join(REPO, 'bench', 'run-benchmarks.ts'), '--quick', '--out', out,
    ], { cwd: REPO, env: { ...process.env, TS_NODE_PROJECT: path.join(REPO, 'bench', 'tsconfig.json') }, maxBuffer: 16 * 1024 * 1024 }));
    results = readFileSync(out, 'utf8');
  }, 900_000);

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  test('it exits 0 and writes a section with a table for every figure it can measure', () => {
    for (const figure of MEASURED_FIGURES) {
      expect(results).toMatch(new RegExp(`^## ${figure}\\. .+\\n\\n\\| measure \\| median \\| range \\| target \\| verdict \\| detail \\|$`, 'm'));
    }
    expect(results).not.toContain('failed:');
  });

  test('every row of every figure has a number, and every target a verdict', () => {
    const summary = results.slice(results.indexOf('## Summary'), results.indexOf('\n## 1.'));
    const summaryRows = summary.split('\n').filter((line) => /^\| [1-7] \| /.test(line));
    const measured = summaryRows.filter((line) => !line.includes('not measured'));
    // Figure 1: 3 rows; 2: 3; 3: the authorizer's size + one load row per handler; 4: 2; 5: 1; 6: 5 echo rows + RSS + stop().
    expect(measured).toHaveLength(3 + 3 + (1 + Object.values(HandlerAssets).length) + (HAS_RUNTIME_API ? 2 : 0) + 1 + 7);
    const pending = summaryRows.filter((line) => line.includes('not measured'));
    if (HAS_RUNTIME_API) expect(pending).toEqual([]);
    else expect(pending).toEqual([expect.stringMatching(/^\| 4 \| Fan-out \| not measured \| .*pending: needs sendToUser/)]);
    for (const row of measured) {
      const [, , , median, , target, verdict] = row.split('|').map((cell) => cell.trim());
      expect(median).toMatch(/^-?[\d,.]+( \S+)?$/);
      if (target) expect(verdict).toMatch(/^(met|MISSED)$/);
    }
  });

  test('the local runtime\'s growth is a table and two xychart-beta charts: round trip and RSS against connections', () => {
    expect(results).toContain('### Growth from the fewest to the most connections');
    const charts = results.match(/```mermaid\nxychart-beta\n[\s\S]*?```/g) ?? [];
    expect(charts).toHaveLength(2);
    expect(charts[0]).toContain('round trip');
    expect(charts[1]).toContain('Resident memory');
    for (const chart of charts) expect(chart).toMatch(/x-axis "connections" \[5, 20\]/);
  });

  test('the header states the machine, Node.js version, date and commit; the table is printed too', () => {
    expect(results).toMatch(/\| CPU \| .+, \d+ cores, \d+ GB \|/);
    expect(results).toContain(`Node.js ${process.version}`);
    expect(results).toMatch(/\| date, commit \| \d{4}-\d\d-\d\dT[\d:]+Z, [0-9a-f]{7,}/);
    expect(stdout).toMatch(/^fig +measure +median/m);
  });

  test('the committed bench/RESULTS.md is left as it was', () => {
    expect(modifiedAt(RESULTS)).toBe(committedBefore);
  });
});

function modifiedAt(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}
