import { FigureReport } from '../../bench/figure-report';
import { MachineDescription } from '../../bench/machine-description';
import { resultsMarkdown } from '../../bench/results-markdown';
import { pairedRatios, quantile, spreadOf } from '../../bench/statistics';

const machine: MachineDescription = {
  cpu: 'Test CPU', cores: 2, memoryGb: 4, os: 'linux 6', node: 'v20.0.0', date: '2026-01-01T00:00:00Z', commit: 'abc1234', loadAtStart: 1.5, loadAtEnd: 2,
};

const growth: FigureReport = {
  figure: '6',
  title: 'Local runtime',
  rows: [
    { measure: 'connects/s', value: spreadOf([900, 800, 1000]), unit: '/s', target: { comparison: '>=', value: 1000 } },
    { measure: 'RSS', value: spreadOf([400]), unit: 'MB', target: { comparison: '<=', value: 512 } },
  ],
  notes: ['how it was measured'],
  series: {
    title: 'Growth',
    measures: [{ key: 'p50', label: 'p50', unit: 'ms' }, { key: 'rss', label: 'RSS', unit: 'MB' }],
    points: [
      { connections: 100, values: { p50: spreadOf([2]), rss: spreadOf([70]) } },
      { connections: 10_000, values: { p50: spreadOf([40]), rss: spreadOf([430]) } },
    ],
    charts: [{ title: 'Round trip', keys: ['p50'], unit: 'ms' }, { title: 'Memory', keys: ['rss'], unit: 'MB' }],
  },
};

describe('bench/RESULTS.md', () => {
  const markdown = resultsMarkdown({
    machine, command: 'npm run bench', reports: [growth], failures: [], pending: [{ figure: '4', title: 'Fan-out', reason: 'needs sendToUser' }],
  });

  test('a missed target reads MISSED and a met one met, with the target beside the median and its range', () => {
    expect(markdown).toContain('| 6 | connects/s | 900 /s | 800–1,000 (n=3) | ≥ 1,000 /s | MISSED |');
    expect(markdown).toContain('| 6 | RSS | 400 MB | n=1 | ≤ 512 MB | met |');
  });

  test('a figure this checkout cannot measure is listed as pending, with what it needs', () => {
    expect(markdown).toContain('| 4 | Fan-out | not measured | | | pending: needs sendToUser |');
  });

  test('each chart is a Mermaid xychart-beta line of the medians against the connection counts', () => {
    expect(markdown).toContain([
      '```mermaid', 'xychart-beta', '  title "Round trip"', '  x-axis "connections" [100, 10000]', '  y-axis "ms" 0 --> 50', '  line [2, 40]', '```',
    ].join('\n'));
    expect(markdown).toContain('  y-axis "MB" 0 --> 500\n  line [70, 430]');
  });

  test('the header states the machine, the Node.js version, the date, the commit and the load', () => {
    expect(markdown).toContain('| CPU | Test CPU, 2 cores, 4 GB |');
    expect(markdown).toContain('| OS, Node.js | linux 6, Node.js v20.0.0 |');
    expect(markdown).toContain('| date, commit | 2026-01-01T00:00:00Z, abc1234 |');
    expect(markdown).toContain('| load average (1 min) | 1.5 at start, 2 at end |');
  });
});

describe('the statistics every figure is reported with', () => {
  test('a spread is the median and the range of the repetitions', () => {
    expect(spreadOf([5, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 5, count: 4 });
  });

  test('a quantile interpolates between neighbours', () => {
    expect(quantile([10, 20, 30, 40, 50], 0.99)).toBeCloseTo(49.6);
  });

  test('paired ratios divide each repetition by its own pair, and refuse unpaired lists', () => {
    expect(pairedRatios([2, 9], [1, 3])).toEqual([2, 3]);
    expect(() => pairedRatios([1], [1, 2])).toThrow(/as many numerators as denominators/);
  });
});
