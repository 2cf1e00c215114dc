/**
 * Prediction intervals. For the linear ETS models the variance is analytic (Hyndman et al. 2008,
 * Table 6.1; see ets.ts); for everything else (Theta, combinations, seasonal naive, non-linear
 * ETS) it is estimated from rolling-origin forecast errors at each step ahead (Hyndman &
 * Athanasopoulos, FPP §5.5; Williams & Goodman 1971, "empirical prediction intervals"),
 * assuming normal errors. With few windows a single step's variance is noisy, so step k uses
 * the mean squared error over steps 1..k, which also keeps widths non-decreasing in k.
 */

export type IntervalLevel = 0.8 | 0.95;

export function normalQuantile(level: IntervalLevel): number {
  return level === 0.8 ? 1.2815515655446004 : 1.959963984540054;
}

/** Variance per step from errors[window][step]; NaN-free windows only. */
export function empiricalForecastVariance(errors: readonly (readonly number[])[], horizon: number): number[] {
  const perStep: number[] = [];
  for (let k = 0; k < horizon; k++) {
    let sum = 0;
    let count = 0;
    for (const window of errors) {
      const e = window[k];
      if (e !== undefined && Number.isFinite(e)) { sum += e * e; count++; }
    }
    perStep.push(count > 0 ? sum / count : Number.NaN);
  }
  const out: number[] = [];
  let running = 0;
  let seen = 0;
  let last = 0;
  for (let k = 0; k < horizon; k++) {
    const v = perStep[k] as number;
    if (Number.isFinite(v)) { running += v; seen++; last = running / seen; }
    // Beyond the backtested steps, grow like a random walk from the last estimate.
    out.push(Number.isFinite(v) || seen === 0 ? last : last * ((k + 1) / seen));
  }
  return out;
}

export function intervalsFromVariance(point: readonly number[], variance: readonly number[], level: IntervalLevel): { lower: number[]; upper: number[] } {
  const z = normalQuantile(level);
  return {
    lower: point.map((p, k) => p - z * Math.sqrt(variance[k] ?? 0)),
    upper: point.map((p, k) => p + z * Math.sqrt(variance[k] ?? 0)),
  };
}
