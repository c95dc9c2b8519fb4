/**
 * What each figure measures and reports: rows of one table (a value with its spread, its unit, the target it is held
 * to), notes saying how it was measured or what limits a missed target, and for the local runtime a series over
 * connection counts that the report draws as charts.
 */
import { Spread } from './statistics';

/** A bound a figure must meet: its median at most (`<=`) or at least (`>=`) `value`. */
export interface Target {
  readonly comparison: '<=' | '>=';
  readonly value: number;
}

export interface FigureRow {
  /** What is measured, e.g. "authorizer verify ÷ crypto.verify". */
  readonly measure: string;
  readonly value: Spread;
  /** e.g. "×", "KB", "ms", "/s", "MB", "downloads". */
  readonly unit: string;
  readonly target?: Target;
  /** The absolute figures behind a ratio, e.g. "ours 61 µs, floor 40 µs". */
  readonly detail?: string;
}

/** One point of a series: a measure at a connection count. */
export interface SeriesPoint {
  readonly connections: number;
  readonly values: Readonly<Record<string, Spread>>;
}

/** Measures over connection counts, e.g. RSS and round trip from 100 to 10,000 connections. */
export interface Series {
  readonly title: string;
  /** The measures each point holds, with their units, in column order. */
  readonly measures: ReadonlyArray<{ readonly key: string; readonly label: string; readonly unit: string }>;
  readonly points: SeriesPoint[];
  /** Charts to draw from the series: each one measure (or several of one unit) against connections. */
  readonly charts: ReadonlyArray<{ readonly title: string; readonly keys: string[]; readonly unit: string }>;
}

export interface FigureReport {
  /** "1" to "6", as the benchmark's figures are numbered. */
  readonly figure: string;
  readonly title: string;
  readonly rows: FigureRow[];
  /** How it was measured, what the sides are, and what limits a missed target. */
  readonly notes: string[];
  readonly series?: Series;
}

/** Whether the row's median meets its target; undefined for a row without one. */
export function meetsTarget(row: FigureRow): boolean | undefined {
  if (!row.target) return undefined;
  return row.target.comparison === '<=' ? row.value.median <= row.target.value : row.value.median >= row.target.value;
}
