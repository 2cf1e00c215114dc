/**
 * Naive (random-walk) forecast: every future value equals the last observation. The M4
 * benchmark "Naive 1" (Makridakis et al. 2020, IJF 36(1), §2.2) and MASE's scaling reference.
 */
export interface NaiveModel {
  last: number;
}

export function fitNaive(series: ArrayLike<number>): NaiveModel {
  if (series.length === 0) throw new RangeError('naive forecast needs at least one observation');
  return { last: series[series.length - 1] as number };
}

export function predictNaive(model: NaiveModel, horizon: number): number[] {
  return new Array<number>(horizon).fill(model.last);
}
