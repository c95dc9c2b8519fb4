/** The table `npm run bench` prints: one line per measured row, columns aligned. */
import { FigureReport } from './figure-report';
import { formatRange, formatTarget, formatValue, formatVerdict } from './number-format';

export function consoleTable(reports: FigureReport[]): string {
  const header = ['fig', 'measure', 'median', 'range', 'target', '', 'detail'];
  const lines = reports.flatMap((report) => report.rows.map((row) => [
    report.figure, row.measure, formatValue(row.value.median, row.unit), formatRange(row.value), formatTarget(row), formatVerdict(row), row.detail ?? '',
  ]));
  const widths = header.map((_, column) => Math.max(...[header, ...lines].map((line) => line[column].length)));
  const render = (line: string[]) => line.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [render(header), render(widths.map((width) => '-'.repeat(width))), ...lines.map(render)].join('\n');
}
