/**
 * Classical decomposition by moving averages, as R's `decompose` (Kendall & Stuart 1983; Hyndman &
 * Athanasopoulos, "Forecasting: Principles and Practice", §3.4). The trend is the centred
 * 2×m moving average (m even) or m-MA (m odd); the seasonal figure is the mean detrended value per
 * phase, normalised to mean 1 (multiplicative) or 0 (additive). M4's benchmarks deseasonalise with
 * the multiplicative form and reseasonalise forecasts with the last season of indices.
 */

export type DecompositionType = 'additive' | 'multiplicative';

/** Seasonal figure per phase: index j is the effect at every t with t mod m = j (t from 0). */
export function seasonalFigure(series: ArrayLike<number>, seasonPeriod: number, type: DecompositionType = 'multiplicative'): Float64Array {
  const n = series.length;
  const m = seasonPeriod;
  if (m <= 1 || n < 2 * m) throw new RangeError(`decomposition needs at least two seasons of ${m}`);
  const half = Math.floor(m / 2);
  const weights = new Float64Array(2 * half + 1);
  if (m % 2 === 0) {
    weights.fill(1 / m);
    weights[0] = 0.5 / m;
    weights[2 * half] = 0.5 / m;
  } else weights.fill(1 / m);

  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = half; t < n - half; t++) {
    let trend = 0;
    for (let j = 0; j < weights.length; j++) trend += (weights[j] as number) * (series[t - half + j] as number);
    const detrended = type === 'multiplicative' ? (series[t] as number) / trend : (series[t] as number) - trend;
    if (!Number.isFinite(detrended)) continue;
    sums[t % m] = (sums[t % m] as number) + detrended;
    counts[t % m] = (counts[t % m] as number) + 1;
  }
  const figure = new Float64Array(m);
  let mean = 0;
  for (let j = 0; j < m; j++) {
    figure[j] = (sums[j] as number) / (counts[j] as number);
    mean += (figure[j] as number) / m;
  }
  for (let j = 0; j < m; j++) figure[j] = type === 'multiplicative' ? (figure[j] as number) / mean : (figure[j] as number) - mean;
  return figure;
}

/** The figure rotated so that index k is the effect k+1 steps after a series of length n ends. */
export function futureSeasonalIndices(figure: ArrayLike<number>, seriesLength: number): number[] {
  const m = figure.length;
  return Array.from({ length: m }, (_, k) => figure[(seriesLength + k) % m] as number);
}

/** Divides out a multiplicative figure (phase by t mod m). */
export function deseasonalise(series: ArrayLike<number>, figure: ArrayLike<number>): Float64Array {
  const m = figure.length;
  const out = new Float64Array(series.length);
  for (let t = 0; t < series.length; t++) out[t] = (series[t] as number) / (figure[t % m] as number);
  return out;
}
