/**
 * Seasonality test used by the M4 statistical benchmarks (Makridakis, Spiliotis & Assimakopoulos
 * 2020, IJF 36(1); `SeasonalityTest` in `Benchmarks and Evaluation.R` of Mcompetitions/M4-methods):
 * a series is seasonal at lag m when |r_m| exceeds the one-sided 90 % limit
 * 1.645 · sqrt((1 + 2·Σ_{k<m} r_k²) / n), i.e. Bartlett's standard error of r_m under an MA(m−1).
 * The autocorrelations are R's `acf`: mean-removed, divided by n (the biased estimator).
 */

/** Sample autocorrelations r_1..r_maxLag (index 0 holds r_1), as R's `acf`. */
export function autocorrelations(series: ArrayLike<number>, maxLag: number): Float64Array {
  const n = series.length;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += series[t] as number;
  mean /= n;
  let variance = 0;
  for (let t = 0; t < n; t++) variance += ((series[t] as number) - mean) ** 2;
  const out = new Float64Array(maxLag);
  if (variance === 0) return out;
  for (let lag = 1; lag <= maxLag && lag < n; lag++) {
    let cov = 0;
    for (let t = lag; t < n; t++) cov += ((series[t] as number) - mean) * ((series[t - lag] as number) - mean);
    out[lag - 1] = cov / variance;
  }
  return out;
}

export interface SeasonalityTestResult {
  seasonal: boolean;
  /** r_m, the autocorrelation at the seasonal lag. */
  autocorrelation: number;
  /** The 90 % limit it was compared with. */
  limit: number;
}

/** Series shorter than three seasons are never called seasonal, as in M4. */
export function seasonalityTest(series: ArrayLike<number>, seasonPeriod: number): SeasonalityTestResult {
  const n = series.length;
  if (seasonPeriod <= 1 || n < 3 * seasonPeriod) return { seasonal: false, autocorrelation: 0, limit: Number.NaN };
  const r = autocorrelations(series, seasonPeriod);
  let cumulative = 1;
  for (let k = 0; k < seasonPeriod - 1; k++) cumulative += 2 * (r[k] as number) ** 2;
  const limit = (1.645 / Math.sqrt(n)) * Math.sqrt(cumulative);
  const autocorrelation = r[seasonPeriod - 1] as number;
  return { seasonal: Math.abs(autocorrelation) > limit, autocorrelation, limit };
}
