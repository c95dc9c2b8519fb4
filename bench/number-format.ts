/** Figures as the report prints them: three significant digits, thousands grouped, a spread as its range. */
import { FigureRow, meetsTarget } from './figure-report';
import { Spread } from './statistics';

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: digits });
}

/** `1.42 ×` */
export function formatValue(value: number, unit: string): string {
  return unit === '' ? formatNumber(value) : `${formatNumber(value)} ${unit}`;
}

/** `1.38–1.47` (min–max of the repetitions), or `n=1` when there was one. */
export function formatRange(spread: Spread): string {
  if (spread.count === 1) return 'n=1';
  return `${formatNumber(spread.min)}–${formatNumber(spread.max)} (n=${spread.count})`;
}

/** `≤ 1.6 ×`, or an empty string for a row without a target. */
export function formatTarget(row: FigureRow): string {
  if (!row.target) return '';
  return `${row.target.comparison === '<=' ? '≤' : '≥'} ${formatValue(row.target.value, row.unit)}`;
}

/** `met`, `MISSED`, or an empty string for a row without a target. */
export function formatVerdict(row: FigureRow): string {
  const met = meetsTarget(row);
  return met === undefined ? '' : met ? 'met' : 'MISSED';
}
