/**
 * Seasonal naive forecast: each future value repeats the observation one season earlier,
 * ŷ_{n+k} = y_{n+k−m·⌈k/m⌉} (M4 benchmark "sNaive", `naive_seasonal` in M4's
 * `Benchmarks and Evaluation.R`; Hyndman & Athanasopoulos, FPP §5.2).
 */
export interface SeasonalNaiveModel {
  /** The last full season, oldest first. */
  lastSeason: number[];
}

export function fitSeasonalNaive(series: ArrayLike<number>, seasonPeriod: number): SeasonalNaiveModel {
  const m = Math.max(1, Math.min(seasonPeriod, series.length));
  if (series.length === 0) throw new RangeError('seasonal naive forecast needs at least one observation');
  return { lastSeason: Array.from({ length: m }, (_, j) => series[series.length - m + j] as number) };
}

export function predictSeasonalNaive(model: SeasonalNaiveModel, horizon: number): number[] {
  return Array.from({ length: horizon }, (_, k) => model.lastSeason[k % model.lastSeason.length] as number);
}
