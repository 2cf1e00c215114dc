/**
 * Rolling-origin evaluation (Tashman 2000, IJF 16(4), "Out-of-sample tests of forecasting
 * accuracy"; Hyndman & Athanasopoulos, FPP §5.10 "time series cross-validation"): refit at
 * successive origins inside the training data and score the next `horizon` values, so model
 * choice and interval widths are learnt without touching the future.
 */
import { mae, smape } from './metrics.js';

export interface BacktestOptions {
  horizon: number;
  /** Number of origins (windows), latest first. */
  origins: number;
  /** Distance between consecutive origins; defaults to the horizon (non-overlapping windows). */
  step?: number;
  /** Origins leaving fewer training points than this are skipped. */
  minimumTrainingLength: number;
}

export interface BacktestWindow {
  /** Number of training points before this window. */
  origin: number;
  actual: number[];
  /** Forecasts per candidate name. */
  forecasts: Record<string, number[]>;
}

export function backtestOrigins(length: number, options: BacktestOptions): number[] {
  const step = options.step ?? options.horizon;
  const out: number[] = [];
  for (let k = 0; k < options.origins; k++) {
    const origin = length - options.horizon - k * step;
    if (origin >= options.minimumTrainingLength) out.push(origin);
  }
  return out;
}

export function rollingOriginBacktest(
  series: readonly number[],
  options: BacktestOptions,
  forecastAll: (training: readonly number[], horizon: number) => Record<string, number[]>,
): BacktestWindow[] {
  return backtestOrigins(series.length, options).map((origin) => ({
    origin,
    actual: series.slice(origin, origin + options.horizon),
    forecasts: forecastAll(series.slice(0, origin), options.horizon),
  }));
}

export interface CandidateScore {
  name: string;
  /** Mean over windows of ½·(sMAPE/median sMAPE + MAE/median MAE): an OWA-like relative error, lower is better. */
  score: number;
  smape: number;
  mae: number;
}

/**
 * Scores candidates relative to the field's median in each window, as OWA scores methods relative
 * to Naive2, so that neither percentage nor scale errors dominate the choice.
 */
export function scoreCandidates(windows: readonly BacktestWindow[]): CandidateScore[] {
  const first = windows[0];
  if (first === undefined) return [];
  const names = Object.keys(first.forecasts);
  const totals = new Map(names.map((name) => [name, { score: 0, smape: 0, mae: 0 }]));
  const median = (xs: number[]) => {
    const s = xs.slice().sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  };
  for (const window of windows) {
    const smapes = names.map((name) => smape(window.actual, window.forecasts[name] as number[]));
    const maes = names.map((name) => mae(window.actual, window.forecasts[name] as number[]));
    const smapeRef = Math.max(median(smapes), 1e-9);
    const maeRef = Math.max(median(maes), 1e-9);
    names.forEach((name, i) => {
      const total = totals.get(name) as { score: number; smape: number; mae: number };
      total.score += (0.5 * ((smapes[i] as number) / smapeRef + (maes[i] as number) / maeRef)) / windows.length;
      total.smape += (smapes[i] as number) / windows.length;
      total.mae += (maes[i] as number) / windows.length;
    });
  }
  return names.map((name) => ({ name, ...(totals.get(name) as { score: number; smape: number; mae: number }) })).sort((a, b) => a.score - b.score);
}
