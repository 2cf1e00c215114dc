/**
 * The catalogue of single forecasting methods behind `forecast()`: each fits to a series and
 * becomes a plain-data member (serialisable) that predicts any horizon. Methods named after an
 * M4 benchmark (naive2, ses, holt, damped, theta) forecast the M4-seasonally-adjusted series
 * (seasonal-adjustment.ts) at the member's period and multiply the indices back, as M4 did;
 * Holt–Winters and ETS model the season inside the state instead.
 */
import { fitEts, predictEts, type EtsModel } from './ets-fit.js';
import { fitAutoEts } from './ets-auto.js';
import type { EtsSpec } from './ets.js';
import { fitNaive, predictNaive, type NaiveModel } from './naive.js';
import { fitSeasonalNaive, predictSeasonalNaive, type SeasonalNaiveModel } from './seasonal-naive.js';
import { reseasonalise, seasonallyAdjust, type SeasonalAdjustment } from './seasonal-adjustment.js';
import { fitTheta, predictTheta, type ThetaModel } from './theta.js';

export const SINGLE_METHODS = ['naive', 'snaive', 'naive2', 'ses', 'holt', 'damped', 'theta', 'holt-winters-additive', 'holt-winters-multiplicative', 'holt-winters-damped', 'ets'] as const;
export type SingleMethod = (typeof SINGLE_METHODS)[number];

export type CoreModel =
  | { kind: 'naive'; naive: NaiveModel }
  | { kind: 'snaive'; snaive: SeasonalNaiveModel }
  | { kind: 'ets'; ets: EtsModel }
  | { kind: 'theta'; theta: ThetaModel };

/** One fitted method: what was fitted, at which season, and how to put the season back. */
export interface Member {
  method: SingleMethod;
  seasonPeriod: number;
  adjustment: SeasonalAdjustment;
  core: CoreModel;
}

export interface MemberFit {
  member: Member;
  /** One-step in-sample fitted values (NaN where the method has none, e.g. the first season of sNaive). */
  fitted: Float64Array;
}

const NO_ADJUSTMENT: SeasonalAdjustment = { applied: false, seasonPeriod: 1, nextIndices: [1] };
const SES: EtsSpec = { error: 'A', trend: 'N', season: 'N' };
const HOLT: EtsSpec = { error: 'A', trend: 'A', season: 'N' };
const DAMPED: EtsSpec = { error: 'A', trend: 'Ad', season: 'N' };

function laggedFitted(series: ArrayLike<number>, lag: number): Float64Array {
  const out = new Float64Array(series.length).fill(Number.NaN);
  for (let t = lag; t < series.length; t++) out[t] = series[t - lag] as number;
  return out;
}

/** Fits one method; seasonal methods fall back to their non-seasonal form on too-short series. */
export function fitMember(series: readonly number[], method: SingleMethod, seasonPeriod: number): MemberFit {
  const n = series.length;
  const m = Math.max(1, Math.round(seasonPeriod));
  if (method === 'naive') return { member: { method, seasonPeriod: m, adjustment: NO_ADJUSTMENT, core: { kind: 'naive', naive: fitNaive(series) } }, fitted: laggedFitted(series, 1) };
  if (method === 'snaive') {
    const lag = n >= m ? m : 1;
    return { member: { method, seasonPeriod: m, adjustment: NO_ADJUSTMENT, core: { kind: 'snaive', snaive: fitSeasonalNaive(series, lag) } }, fitted: laggedFitted(series, lag) };
  }
  if (method === 'holt-winters-additive' || method === 'holt-winters-multiplicative' || method === 'holt-winters-damped' || method === 'ets') {
    const fitted = new Float64Array(n);
    const seasonal = m > 1 && n >= 3 * m;
    let ets: EtsModel;
    if (method === 'ets') {
      ets = fitAutoEts(series, { seasonPeriod: m }).model;
      fitEts(series, ets.spec, { seasonPeriod: m, fittedOut: fitted });
    } else {
      const multiplicative = method === 'holt-winters-multiplicative' && series.every((v) => v > 0);
      const trend = method === 'holt-winters-damped' ? 'Ad' : 'A';
      const spec: EtsSpec = seasonal ? { error: 'A', trend, season: multiplicative ? 'M' : 'A' } : { error: 'A', trend, season: 'N' };
      ets = fitEts(series, spec, { seasonPeriod: m, fittedOut: fitted });
    }
    return { member: { method, seasonPeriod: m, adjustment: NO_ADJUSTMENT, core: { kind: 'ets', ets } }, fitted };
  }

  const { adjustment, adjusted, inSampleIndices } = seasonallyAdjust(series, m);
  const fitted = new Float64Array(n);
  let core: CoreModel;
  if (method === 'naive2') {
    core = { kind: 'naive', naive: fitNaive(adjusted) };
    fitted.set(laggedFitted(adjusted, 1));
  } else if (method === 'theta') {
    const theta = fitTheta(adjusted);
    core = { kind: 'theta', theta: theta.model };
    fitted.set(theta.fitted);
  } else {
    const spec = method === 'ses' ? SES : method === 'holt' ? HOLT : DAMPED;
    core = { kind: 'ets', ets: fitEts(adjusted, spec, { criterion: 'mse', fittedOut: fitted }) };
  }
  for (let t = 0; t < n; t++) fitted[t] = (fitted[t] as number) * (inSampleIndices[t] as number);
  return { member: { method, seasonPeriod: m, adjustment, core }, fitted };
}

export function predictMember(member: Member, horizon: number): number[] {
  const core = member.core;
  const raw =
    core.kind === 'naive' ? predictNaive(core.naive, horizon)
    : core.kind === 'snaive' ? predictSeasonalNaive(core.snaive, horizon)
    : core.kind === 'ets' ? predictEts(core.ets, horizon)
    : predictTheta(core.theta, horizon);
  return member.adjustment.applied ? reseasonalise(member.adjustment, raw) : raw;
}

export function memberName(member: Pick<Member, 'method' | 'seasonPeriod'>): string {
  return member.seasonPeriod > 1 && member.method !== 'naive' ? `${member.method}@${member.seasonPeriod}` : member.method;
}
