/**
 * Comb (S-H-D), the M4 combination benchmark (Makridakis et al. 2020, IJF 36(1), §2.2; first
 * used in M3, Makridakis & Hibon 2000): the arithmetic mean of SES, Holt and damped-trend
 * forecasts, each fitted by one-step MSE to the seasonally adjusted series and reseasonalised.
 */
import { fitEts, predictEts, type EtsModel } from './ets-fit.js';
import { reseasonalise, seasonallyAdjust, type SeasonalAdjustment } from './seasonal-adjustment.js';

export interface CombModel {
  adjustment: SeasonalAdjustment;
  ses: EtsModel;
  holt: EtsModel;
  damped: EtsModel;
}

export function fitComb(series: ArrayLike<number>, seasonPeriod: number): CombModel {
  const { adjustment, adjusted } = seasonallyAdjust(series, seasonPeriod);
  return {
    adjustment,
    ses: fitEts(adjusted, { error: 'A', trend: 'N', season: 'N' }, { criterion: 'mse' }),
    holt: fitEts(adjusted, { error: 'A', trend: 'A', season: 'N' }, { criterion: 'mse' }),
    damped: fitEts(adjusted, { error: 'A', trend: 'Ad', season: 'N' }, { criterion: 'mse' }),
  };
}

export function predictComb(model: CombModel, horizon: number): number[] {
  const ses = predictEts(model.ses, horizon);
  const holt = predictEts(model.holt, horizon);
  const damped = predictEts(model.damped, horizon);
  return reseasonalise(model.adjustment, ses.map((s, k) => (s + (holt[k] as number) + (damped[k] as number)) / 3));
}
