/**
 * Medians and spreads of repeated measurements. Every figure is the median of several repetitions, reported with
 * its range, so one slow repetition on a shared machine shows as spread instead of moving the figure.
 */

/** Repeated measurements of one quantity: their median and range. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** How many repetitions. */
  readonly count: number;
}

export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('a spread needs at least one measurement');
  const sorted = [...values].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), min: sorted[0], max: sorted[sorted.length - 1], count: sorted.length };
}

/** The q-quantile (0..1) of ascending `sorted`, interpolated between neighbours. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('a quantile needs at least one value');
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** Ratios of paired repetitions (a[i] ÷ b[i]): both sides of a pair ran back to back, so noise hits both alike. */
export function pairedRatios(numerators: readonly number[], denominators: readonly number[]): number[] {
  if (numerators.length !== denominators.length) throw new Error('paired ratios need as many numerators as denominators');
  return numerators.map((value, index) => value / denominators[index]);
}
