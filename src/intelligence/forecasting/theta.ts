/**
 * The Theta method, Assimakopoulos & Nikolopoulos (2000), IJF 16(4), as M4's benchmark
 * (`Theta.classic` in M4's `Benchmarks and Evaluation.R`): the theta-0 line is the least-squares
 * trend; the theta-2 line 2·y − trend is extrapolated by SES; forecasts weigh both by ½.
 * Hyndman & Billah (2003), IJF 19(2), show this equals SES with drift of half the trend slope.
 * Negative forecasts are floored at zero, as in M4 (demand cannot be negative).
 * Seasonal adjustment, when wanted, is done by the caller (see seasonal-adjustment.ts).
 */
import { fitEts, predictEts, type EtsFitOptions, type EtsModel } from './ets-fit.js';

export interface ThetaModel {
  intercept: number;
  slope: number;
  observations: number;
  /** SES (ETS(A,N,N) fitted by one-step MSE) on the theta-2 line. */
  ses: EtsModel;
}

export interface ThetaFit {
  model: ThetaModel;
  fitted: Float64Array;
}

const SES = { error: 'A', trend: 'N', season: 'N' } as const;

export function fitTheta(series: ArrayLike<number>, options: Pick<EtsFitOptions, 'optimizer'> = {}): ThetaFit {
  const n = series.length;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let t = 0; t < n; t++) {
    const x = t + 1;
    const v = series[t] as number;
    sx += x; sy += v; sxx += x * x; sxy += x * v;
  }
  const slope = n > 1 ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : 0;
  const intercept = (sy - slope * sx) / n;
  const thetaLine = new Float64Array(n);
  for (let t = 0; t < n; t++) thetaLine[t] = 2 * (series[t] as number) - (intercept + slope * (t + 1));
  const sesFitted = new Float64Array(n);
  const ses = fitEts(thetaLine, SES, { criterion: 'mse', fittedOut: sesFitted, optimizer: options.optimizer ?? 'nelder-mead' });
  const fitted = new Float64Array(n);
  for (let t = 0; t < n; t++) fitted[t] = 0.5 * (sesFitted[t] as number) + 0.5 * (intercept + slope * (t + 1));
  return { model: { intercept, slope, observations: n, ses }, fitted };
}

export function predictTheta(model: ThetaModel, horizon: number): number[] {
  const ses = predictEts(model.ses, horizon);
  return ses.map((s, k) => Math.max(0, 0.5 * s + 0.5 * (model.intercept + model.slope * (model.observations + k + 1))));
}
