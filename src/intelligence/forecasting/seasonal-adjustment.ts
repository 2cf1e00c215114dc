/**
 * M4's seasonal adjustment (Makridakis et al. 2020, IJF 36(1), §2.2; `Benchmarks` in
 * `Benchmarks and Evaluation.R`): when the 90 % ACF test at lag m passes, divide the series by its
 * classical multiplicative seasonal figure, forecast the adjusted series, and multiply the
 * forecasts back by the figure continued past the end. Otherwise the indices are all 1.
 */
import { deseasonalise, futureSeasonalIndices, seasonalFigure } from './classical-decomposition.js';
import { seasonalityTest } from './seasonality-test.js';

export interface SeasonalAdjustment {
  applied: boolean;
  seasonPeriod: number;
  /** `nextIndices[k % m]` multiplies the forecast k+1 steps ahead. */
  nextIndices: number[];
}

export interface AdjustedSeries {
  adjustment: SeasonalAdjustment;
  adjusted: Float64Array;
  /** In-sample indices, to reseasonalise fitted values. */
  inSampleIndices: Float64Array;
}

export function seasonallyAdjust(series: ArrayLike<number>, seasonPeriod: number): AdjustedSeries {
  const n = series.length;
  const positive = Array.prototype.every.call(series, (v: number) => v > 0);
  const applied = seasonPeriod > 1 && positive && seasonalityTest(series, seasonPeriod).seasonal;
  if (!applied) {
    return {
      adjustment: { applied: false, seasonPeriod: 1, nextIndices: [1] },
      adjusted: Float64Array.from(series),
      inSampleIndices: new Float64Array(n).fill(1),
    };
  }
  const figure = seasonalFigure(series, seasonPeriod, 'multiplicative');
  const inSampleIndices = new Float64Array(n);
  for (let t = 0; t < n; t++) inSampleIndices[t] = figure[t % seasonPeriod] as number;
  return {
    adjustment: { applied: true, seasonPeriod, nextIndices: futureSeasonalIndices(figure, n) },
    adjusted: deseasonalise(series, figure),
    inSampleIndices,
  };
}

export function reseasonalise(adjustment: SeasonalAdjustment, forecasts: readonly number[]): number[] {
  const m = adjustment.nextIndices.length;
  return forecasts.map((f, k) => f * (adjustment.nextIndices[k % m] as number));
}
