/**
 * Demand forecasting API for merchants' series (daily/weekly revenue or units per product).
 *
 *   const result = forecast(unitsPerWeek, { horizon: 13, seasonPeriod: 1, seasonPeriods: [52] });
 *   // { method: 'auto', point, lower, upper, fitted, diagnostics: { chosen: ['theta@52', …], … } }
 *
 * `fitForecaster` returns plain data (JSON round-trips) that `predictForecaster` reuses. Methods
 * are the M4 benchmarks and classical exponential smoothing (methods.ts), Comb (mean of SES,
 * Holt, damped, Makridakis & Hibon 2000) and 'auto', a per-series backtested select-and-combine
 * (auto-selection.ts). Intervals: analytic for linear ETS (Hyndman et al. 2008, Table 6.1),
 * otherwise from rolling-origin errors (intervals.ts).
 */
import { candidateKey, candidatePool, type CandidateSpec } from './auto-selection.js';
import { rollingOriginBacktest, scoreCandidates, type BacktestWindow, type CandidateScore } from './backtest.js';
import { etsForecastVariance, specName } from './ets.js';
import { empiricalForecastVariance, intervalsFromVariance, type IntervalLevel } from './intervals.js';
import { fitMember, memberName, predictMember, type Member, type SingleMethod } from './methods.js';
import { mae, maseScale, rmse, rSquared } from './metrics.js';

export type ForecastMethod = 'auto' | 'comb' | SingleMethod;

export interface ForecastOptions {
  horizon: number;
  /** Primary season length: 7 for daily, 52 or 1 for weekly, 12 for monthly, 24 for hourly. */
  seasonPeriod?: number;
  /** Further periods the automatic method may try, e.g. [168] for hourly, [52] for weekly. */
  seasonPeriods?: readonly number[];
  method?: ForecastMethod;
  level?: IntervalLevel;
  /** Rolling origins for model choice and empirical intervals (default 2; 0 = none). */
  backtestOrigins?: number;
  /** How many of the best backtested candidates 'auto' averages (default 2). */
  combine?: number;
}

export interface ForecastDiagnostics {
  /** Members averaged into the forecast, e.g. ['theta@52', 'damped@52']. */
  chosen: string[];
  /** Backtest ranking of the automatic pool, best first (lower score is better). */
  candidates: CandidateScore[];
  /** Accuracy of the chosen forecast in the backtest windows (NaN without windows). */
  backtest: { windows: number; smape: number; mae: number; mase: number };
  /** One-step in-sample fit. */
  inSample: { rmse: number; mae: number; rSquared: number };
  /** ETS details when a single ETS model is used. */
  ets?: { model: string; aicc: number; alpha: number; beta: number; gamma: number; phi: number };
}

/** A fitted forecaster: plain data, JSON-serialisable. */
export interface Forecaster {
  method: ForecastMethod;
  seasonPeriod: number;
  observations: number;
  members: Member[];
  /** Empirical forecast variance per step (from backtests), or null when none was run. */
  backtestVariance: number[] | null;
  /** Seasonal-naive MAE of the training series, MASE's scale. */
  maseScale: number;
  diagnostics: ForecastDiagnostics;
}

export interface ForecastResult {
  method: ForecastMethod;
  point: number[];
  lower: number[];
  upper: number[];
  fitted: number[];
  diagnostics: ForecastDiagnostics;
}

function mean(forecasts: readonly number[][]): number[] {
  const first = forecasts[0] as number[];
  return first.map((_, k) => forecasts.reduce((sum, f) => sum + (f[k] as number), 0) / forecasts.length);
}

function membersFor(method: ForecastMethod, m: number): CandidateSpec[] {
  if (method === 'comb') return (['ses', 'holt', 'damped'] as const).map((single) => ({ method: single, seasonPeriod: m }));
  if (method === 'auto') throw new Error('auto has no fixed members');
  return [{ method, seasonPeriod: m }];
}

function fitAndPredict(specs: readonly CandidateSpec[], training: readonly number[], horizon: number): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const spec of specs) {
    try {
      out[candidateKey(spec)] = predictMember(fitMember(training, spec.method, spec.seasonPeriod).member, horizon);
    } catch {
      // A candidate that cannot be fitted to this window (too short, non-positive data) drops out.
    }
  }
  return out;
}

function combinedErrors(windows: readonly BacktestWindow[], keys: readonly string[]): number[][] {
  return windows
    .filter((w) => keys.every((k) => w.forecasts[k] !== undefined))
    .map((w) => {
      const f = mean(keys.map((k) => w.forecasts[k] as number[]));
      return w.actual.map((y, i) => y - (f[i] as number));
    });
}

export function fitForecaster(series: readonly number[], options: ForecastOptions): Forecaster {
  return fitWithFittedValues(series, options).forecaster;
}

function fitWithFittedValues(series: readonly number[], options: ForecastOptions): { forecaster: Forecaster; fitted: number[] } {
  const n = series.length;
  if (n < 4) throw new RangeError('forecasting needs at least 4 observations');
  if (series.some((v) => !Number.isFinite(v))) throw new RangeError('series must be finite numbers; impute gaps first');
  const horizon = Math.max(1, Math.round(options.horizon));
  const m = Math.max(1, Math.round(options.seasonPeriod ?? 1));
  const method = options.method ?? 'auto';
  const origins = options.backtestOrigins ?? 2;
  const specs = method === 'auto' ? candidatePool(series.slice(0, n - horizon), m, options.seasonPeriods) : membersFor(method, m);
  const windows = origins > 0
    ? rollingOriginBacktest(series, { horizon, origins, minimumTrainingLength: Math.max(10, 2 * m) }, (training, h) => fitAndPredict(specs, training, h))
    : [];

  // Only candidates that could be fitted at every origin are ranked.
  const ranked = windows.length === 0 ? []
    : specs.map(candidateKey).filter((key) => windows.every((w) => w.forecasts[key] !== undefined));
  const candidates = method === 'auto' && ranked.length > 0
    ? scoreCandidates(windows.map((w) => ({ ...w, forecasts: Object.fromEntries(ranked.map((key) => [key, w.forecasts[key] as number[]])) })))
    : [];
  let chosenSpecs: CandidateSpec[] = method === 'auto'
    ? candidates.slice(0, Math.max(1, options.combine ?? 2)).map((c) => specs.find((s) => candidateKey(s) === c.name) as CandidateSpec)
    : specs;
  if (chosenSpecs.length === 0) chosenSpecs = [{ method: 'damped', seasonPeriod: 1 }];

  const fits = chosenSpecs.map((s) => fitMember(series, s.method, s.seasonPeriod));
  const members = fits.map((f) => f.member);
  const fitted = new Array<number>(n).fill(0).map((_, t) => fits.reduce((sum, f) => sum + (f.fitted[t] as number), 0) / fits.length);

  const keys = chosenSpecs.map(candidateKey);
  const errors = combinedErrors(windows, keys);
  const scale = maseScale(series, n > m ? m : 1);
  const flat = errors.flat();
  const windowsUsed = windows.filter((w) => keys.every((k) => w.forecasts[k] !== undefined));
  const backtestSmape = windowsUsed.length === 0 ? Number.NaN
    : windowsUsed.reduce((sum, w) => {
      const f = mean(keys.map((k) => w.forecasts[k] as number[]));
      return sum + w.actual.reduce((s, y, i) => s + (Math.abs(y) + Math.abs(f[i] as number) === 0 ? 0 : (200 * Math.abs(y - (f[i] as number))) / (Math.abs(y) + Math.abs(f[i] as number))), 0) / w.actual.length;
    }, 0) / windowsUsed.length;
  const backtestMae = flat.length === 0 ? Number.NaN : flat.reduce((s, e) => s + Math.abs(e), 0) / flat.length;

  const usable: number[] = [];
  const usableFitted: number[] = [];
  fitted.forEach((f, t) => { if (Number.isFinite(f)) { usable.push(series[t] as number); usableFitted.push(f); } });
  const diagnostics: ForecastDiagnostics = {
    chosen: members.map(memberName),
    candidates,
    backtest: { windows: errors.length, smape: backtestSmape, mae: backtestMae, mase: backtestMae / scale },
    inSample: usable.length > 0
      ? { rmse: rmse(usable, usableFitted), mae: mae(usable, usableFitted), rSquared: rSquared(usable, usableFitted) }
      : { rmse: Number.NaN, mae: Number.NaN, rSquared: Number.NaN },
  };
  const only = members[0];
  if (members.length === 1 && only !== undefined && only.core.kind === 'ets') {
    const e = only.core.ets;
    diagnostics.ets = { model: specName(e.spec), aicc: e.aicc, ...e.params };
  }
  const forecaster: Forecaster = {
    method,
    seasonPeriod: m,
    observations: n,
    members,
    backtestVariance: errors.length > 0 ? empiricalForecastVariance(errors, horizon) : null,
    maseScale: scale,
    diagnostics,
  };
  return { forecaster, fitted };
}

/** Analytic variance for a single linear ETS member (scaled by its seasonal indices), else null. */
function analyticVariance(forecaster: Forecaster, horizon: number): number[] | null {
  const only = forecaster.members[0];
  if (forecaster.members.length !== 1 || only === undefined || only.core.kind !== 'ets') return null;
  const e = only.core.ets;
  const variance = etsForecastVariance(e.spec, e.params, e.sigma2, e.seasonPeriod, horizon);
  if (variance === null) return null;
  const indices = only.adjustment.nextIndices;
  return variance.map((v, k) => v * (only.adjustment.applied ? (indices[k % indices.length] as number) ** 2 : 1));
}

export function predictForecaster(forecaster: Forecaster, horizon: number, level: IntervalLevel = 0.95): Omit<ForecastResult, 'fitted' | 'diagnostics' | 'method'> {
  const point = mean(forecaster.members.map((member) => predictMember(member, horizon)));
  let variance = analyticVariance(forecaster, horizon);
  if (variance === null && forecaster.backtestVariance !== null) {
    const v = forecaster.backtestVariance;
    const known = v.length;
    variance = point.map((_, k) => (k < known ? (v[k] as number) : (v[known - 1] as number) * ((k + 1) / known)));
  }
  if (variance === null) return { point, lower: point.map(() => Number.NaN), upper: point.map(() => Number.NaN) };
  return { point, ...intervalsFromVariance(point, variance, level) };
}

/** Fit and forecast in one call. `fitted` are one-step in-sample forecasts (NaN where undefined). */
export function forecast(series: readonly number[], options: ForecastOptions): ForecastResult {
  const { forecaster, fitted } = fitWithFittedValues(series, options);
  const { point, lower, upper } = predictForecaster(forecaster, options.horizon, options.level ?? 0.95);
  return { method: forecaster.method, point, lower, upper, fitted, diagnostics: forecaster.diagnostics };
}
