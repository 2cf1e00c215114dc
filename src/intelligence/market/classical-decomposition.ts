/**
 * Classical seasonal decomposition, additive or multiplicative, as in Hyndman & Athanasopoulos,
 * "Forecasting: Principles and Practice" (3rd ed.), §3.4:
 *   1. trend T by a centred moving average: m-MA for odd m, 2×m-MA for even m;
 *   2. detrend (y − T, or y / T);
 *   3. seasonal index of each season = average detrended value of that season, normalised to
 *      sum to zero (additive) or to average one (multiplicative);
 *   4. remainder R = y − T − S (or y / (T S)).
 * The first and last ⌊m/2⌋ trend and remainder values are undefined (NaN), as in the book.
 * Chosen over STL for being exact and hand-checkable; its known weaknesses (no trend at the
 * ends, a fixed seasonal pattern) are acceptable for merchant-facing sales and price series.
 */
export type DecompositionType = 'additive' | 'multiplicative';

export interface Decomposition {
  type: DecompositionType;
  period: number;
  observed: number[];
  /** NaN at the first and last ⌊period/2⌋ points. */
  trend: number[];
  seasonal: number[];
  /** One index per season, position 0 = the season of observed[0]. */
  seasonalIndices: number[];
  remainder: number[];
}

/** Centred moving average of order m (2×m-MA when m is even), NaN where the window does not fit. */
export function centredMovingAverage(values: readonly number[], m: number): number[] {
  const n = values.length;
  const half = Math.floor(m / 2);
  const out = new Array<number>(n).fill(Number.NaN);
  for (let t = half; t < n - half; t++) {
    let sum = 0;
    if (m % 2 === 1) {
      for (let k = -half; k <= half; k++) sum += values[t + k] as number;
      out[t] = sum / m;
    } else {
      // 2×m-MA: weights 1/(2m) at both ends, 1/m inside.
      for (let k = -half + 1; k <= half - 1; k++) sum += values[t + k] as number;
      sum += ((values[t - half] as number) + (values[t + half] as number)) / 2;
      out[t] = sum / m;
    }
  }
  return out;
}

export function decomposeClassical(values: readonly number[], period: number, type: DecompositionType = 'additive'): Decomposition {
  if (!Number.isInteger(period) || period < 2) throw new RangeError('period must be an integer ≥ 2');
  if (values.length < 2 * period) throw new RangeError(`need at least two full periods (${2 * period} points), got ${values.length}`);
  if (type === 'multiplicative' && values.some((v) => !(v > 0))) throw new RangeError('multiplicative decomposition needs positive values');
  const additive = type === 'additive';
  const observed = [...values];
  const trend = centredMovingAverage(observed, period);
  const sums = new Array<number>(period).fill(0);
  const counts = new Array<number>(period).fill(0);
  observed.forEach((y, t) => {
    const level = trend[t] as number;
    if (Number.isNaN(level)) return;
    sums[t % period] = (sums[t % period] as number) + (additive ? y - level : y / level);
    counts[t % period] = (counts[t % period] as number) + 1;
  });
  const raw = sums.map((s, i) => s / (counts[i] as number));
  const centre = raw.reduce((a, b) => a + b, 0) / period;
  const seasonalIndices = raw.map((s) => (additive ? s - centre : s / centre));
  const seasonal = observed.map((_, t) => seasonalIndices[t % period] as number);
  const remainder = observed.map((y, t) => {
    const level = trend[t] as number;
    const season = seasonal[t] as number;
    return additive ? y - level - season : y / (level * season);
  });
  return { type, period, observed, trend, seasonal, seasonalIndices, remainder };
}
