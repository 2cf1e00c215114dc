/**
 * Naive2, the M4 reference method (Makridakis et al. 2020, IJF 36(1), §2.2): the naive forecast of
 * the seasonally adjusted series, reseasonalised; adjustment only when the 90 % ACF test at lag m
 * passes (see seasonal-adjustment.ts). OWA is measured relative to it.
 */
import { fitNaive, predictNaive, type NaiveModel } from './naive.js';
import { reseasonalise, seasonallyAdjust, type SeasonalAdjustment } from './seasonal-adjustment.js';

export interface Naive2Model {
  adjustment: SeasonalAdjustment;
  naive: NaiveModel;
}

export function fitNaive2(series: ArrayLike<number>, seasonPeriod: number): Naive2Model {
  const { adjustment, adjusted } = seasonallyAdjust(series, seasonPeriod);
  return { adjustment, naive: fitNaive(adjusted) };
}

export function predictNaive2(model: Naive2Model, horizon: number): number[] {
  return reseasonalise(model.adjustment, predictNaive(model.naive, horizon));
}
