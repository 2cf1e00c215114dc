/**
 * The eight M4 statistical benchmarks for one series, exactly as `Benchmarks` in M4's
 * `Benchmarks and Evaluation.R` (Makridakis et al. 2020, IJF 36(1), §2.2): Naive, sNaive,
 * Naive2, SES, Holt, Damped, Theta and Comb, the smoothing methods on the M4-seasonally-adjusted
 * series. Shared fits (SES/Holt/Damped for Comb) are computed once.
 */
import { fitEts, predictEts } from './ets-fit.js';
import { fitNaive, predictNaive } from './naive.js';
import { fitSeasonalNaive, predictSeasonalNaive } from './seasonal-naive.js';
import { reseasonalise, seasonallyAdjust } from './seasonal-adjustment.js';
import { fitTheta, predictTheta } from './theta.js';

export const M4_BENCHMARKS = ['naive', 'snaive', 'naive2', 'ses', 'holt', 'damped', 'theta', 'comb'] as const;
export type M4Benchmark = (typeof M4_BENCHMARKS)[number];

export function m4BenchmarkForecasts(series: readonly number[], seasonPeriod: number, horizon: number): Record<M4Benchmark, number[]> {
  const { adjustment, adjusted } = seasonallyAdjust(series, seasonPeriod);
  const back = (f: number[]) => reseasonalise(adjustment, f);
  const ses = predictEts(fitEts(adjusted, { error: 'A', trend: 'N', season: 'N' }, { criterion: 'mse', optimizer: 'r-forecast' }), horizon);
  const holt = predictEts(fitEts(adjusted, { error: 'A', trend: 'A', season: 'N' }, { criterion: 'mse', optimizer: 'r-forecast' }), horizon);
  const damped = predictEts(fitEts(adjusted, { error: 'A', trend: 'Ad', season: 'N' }, { criterion: 'mse', optimizer: 'r-forecast' }), horizon);
  return {
    naive: predictNaive(fitNaive(series), horizon),
    snaive: predictSeasonalNaive(fitSeasonalNaive(series, seasonPeriod), horizon),
    naive2: back(predictNaive(fitNaive(adjusted), horizon)),
    ses: back(ses),
    holt: back(holt),
    damped: back(damped),
    theta: back(predictTheta(fitTheta(adjusted, { optimizer: 'r-forecast' }).model, horizon)),
    comb: back(ses.map((s, k) => (s + (holt[k] as number) + (damped[k] as number)) / 3)),
  };
}
