/**
 * bench/RESULTS.md: the machine, the command, every figure's table with its target and verdict, how each was
 * measured, the local runtime's growth over connection counts, and Mermaid `xychart-beta` charts of it.
 */
import { FigureReport, Series } from './figure-report';
import { MachineDescription } from './machine-description';
import { formatNumber, formatRange, formatTarget, formatValue, formatVerdict } from './number-format';

export interface ResultsDocument {
  readonly machine: MachineDescription;
  readonly command: string;
  readonly reports: FigureReport[];
  /** Figures that could not be measured (an error), with why. */
  readonly failures: ReadonlyArray<UnmeasuredFigure>;
  /** Figures this checkout cannot measure yet, because what they measure is not there, with what is missing. */
  readonly pending: ReadonlyArray<UnmeasuredFigure>;
}

export interface UnmeasuredFigure {
  readonly figure: string;
  readonly title: string;
  readonly reason: string;
}

export function resultsMarkdown(document: ResultsDocument): string {
  const { machine } = document;
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`${document.command}\`; every figure is the median of its repetitions, the range is their min–max, and`,
    'each ratio pairs the two sides of one repetition, measured back to back in the same run on the same machine.',
    '',
    '| machine | |',
    '|---|---|',
    `| CPU | ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB |`,
    `| OS, Node.js | ${machine.os}, Node.js ${machine.node} |`,
    `| date, commit | ${machine.date}, ${machine.commit} |`,
    `| load average (1 min) | ${formatNumber(machine.loadAtStart)} at start, ${formatNumber(machine.loadAtEnd ?? machine.loadAtStart)} at end |`,
    '',
    '## Summary',
    '',
    '| fig | measure | median | range | target | verdict |',
    '|---|---|---|---|---|---|',
    ...document.reports.flatMap((report) => report.rows.map((row) =>
      `| ${report.figure} | ${row.measure} | ${formatValue(row.value.median, row.unit)} | ${formatRange(row.value)} | ${formatTarget(row)} | ${formatVerdict(row)} |`)),
    ...document.failures.map((failure) => `| ${failure.figure} | ${failure.title} | not measured | | | failed: ${failure.reason} |`),
    ...document.pending.map((figure) => `| ${figure.figure} | ${figure.title} | not measured | | | pending: ${figure.reason} |`),
    '',
  ];
  for (const report of document.reports) lines.push(...figureSection(report));
  return lines.join('\n');
}

function figureSection(report: FigureReport): string[] {
  const lines = [`## ${report.figure}. ${report.title}`, ''];
  lines.push('| measure | median | range | target | verdict | detail |', '|---|---|---|---|---|---|');
  for (const row of report.rows) {
    lines.push(`| ${row.measure} | ${formatValue(row.value.median, row.unit)} | ${formatRange(row.value)} | ${formatTarget(row)} | ${formatVerdict(row)} | ${row.detail ?? ''} |`);
  }
  lines.push('');
  for (const note of report.notes) lines.push(`- ${note}`);
  lines.push('');
  if (report.series) lines.push(...seriesSection(report.series));
  return lines;
}

function seriesSection(series: Series): string[] {
  const lines = [`### ${series.title}`, ''];
  lines.push(`| connections | ${series.measures.map((measure) => `${measure.label} (${measure.unit})`).join(' | ')} |`);
  lines.push(`|---|${series.measures.map(() => '---').join('|')}|`);
  for (const point of series.points) {
    const cells = series.measures.map((measure) => {
      const value = point.values[measure.key];
      return value ? `${formatNumber(value.median)} (${formatRange(value)})` : '';
    });
    lines.push(`| ${formatNumber(point.connections)} | ${cells.join(' | ')} |`);
  }
  lines.push('');
  for (const chart of series.charts) lines.push(...mermaidChart(series, chart), '');
  return lines;
}

/** A line chart of the series' medians for `keys` against the connection counts. */
export function mermaidChart(series: Series, chart: Series['charts'][number]): string[] {
  const lines = chart.keys.map((key) => series.points.map((point) => point.values[key]?.median ?? 0));
  const highest = Math.max(1, ...lines.flat());
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${chart.title}"`,
    `  x-axis "connections" [${series.points.map((point) => point.connections).join(', ')}]`,
    `  y-axis "${chart.unit}" 0 --> ${niceCeiling(highest)}`,
    ...lines.map((values) => `  line [${values.map((value) => Number(value.toPrecision(3))).join(', ')}]`),
    '```',
  ];
}

/** The axis' top: the next 1, 2 or 5 times a power of ten above `value`. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value) ?? value;
}
