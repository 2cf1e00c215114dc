/**
 * Estimating an ETS model: smoothing parameters and initial level/trend by maximum likelihood
 * (Hyndman et al. 2008, "Forecasting with Exponential Smoothing", §5.2, eq. 5.3 concentrated
 * over σ²) or by one-step MSE (what R's `forecast::ses`/`holt`, and so the M4 benchmarks,
 * minimise), with the Nelder–Mead simplex. Starting values and the "usual" region
 * α∈[1e-4,0.9999], β∈[1e-4,α], γ∈[1e-4,1−α], φ∈[0.8,0.98] follow `forecast::ets` (Hyndman &
 * Khandakar 2008, JSS 27(3)), which rejects points outside by an infinite objective, as here.
 *
 * Seasonal initial states are not optimised: they come from a classical decomposition of the
 * first three seasons, the heuristic of Hyndman et al. (2008, §2.6.1). This keeps the simplex at
 * ≤ 6 dimensions for m = 24; they still count as estimated parameters in the AICc.
 */
import { nelderMead } from '../optimize/nelder-mead.js';
import { seasonalFigure } from './classical-decomposition.js';
import { etsFilter, etsPointForecast, filterTotals, type EtsParameters, type EtsSpec, type EtsState } from './ets.js';
import { nashSimplex } from './nash-simplex.js';

export type EtsCriterion = 'likelihood' | 'mse';

export interface EtsModel {
  spec: EtsSpec;
  seasonPeriod: number;
  params: EtsParameters;
  state: EtsState;
  /** Variance of the innovations (of relative errors for multiplicative error). */
  sigma2: number;
  /** −2·log-likelihood up to a constant shared by all models of the same series. */
  minusTwoLogLikelihood: number;
  aicc: number;
  /** Number of estimated parameters including σ. */
  parameterCount: number;
  observations: number;
}

export interface EtsFitOptions {
  seasonPeriod?: number;
  criterion?: EtsCriterion;
  maxIterations?: number;
  /**
   * 'nelder-mead' (default): optimize/nelder-mead.ts on the series scaled to mean |y| = 1.
   * 'r-forecast': R forecast 8.2's simplex on the raw series, only to reproduce M4's figures.
   */
  optimizer?: 'nelder-mead' | 'r-forecast';
  /** When given (length n), receives the one-step fitted values. */
  fittedOut?: Float64Array;
}

const LOWER = 1e-4;
/** On the −2·log L scale: far below any difference that changes a model choice or a forecast. */
const OBJECTIVE_TOLERANCE = 1e-3;
const UPPER = 0.9999;

interface Layout {
  hasTrend: boolean;
  damped: boolean;
  seasonal: boolean;
}

/** Parameter vector order, as R: α, β, γ, φ, ℓ0, b0. */
function unpack(x: readonly number[], layout: Layout, out: EtsParameters, initial: Float64Array): void {
  let i = 0;
  out.alpha = x[i++] as number;
  out.beta = layout.hasTrend ? (x[i++] as number) : 0;
  out.gamma = layout.seasonal ? (x[i++] as number) : 0;
  out.phi = layout.damped ? (x[i++] as number) : 1;
  initial[0] = x[i++] as number;
  initial[1] = layout.hasTrend ? (x[i++] as number) : 0;
}

function admissible(p: EtsParameters, layout: Layout): boolean {
  if (p.alpha < LOWER || p.alpha > UPPER) return false;
  if (layout.hasTrend && (p.beta < LOWER || p.beta > p.alpha)) return false;
  if (layout.seasonal && (p.gamma < LOWER || p.gamma > 1 - p.alpha)) return false;
  if (layout.damped && (p.phi < 0.8 || p.phi > 0.98)) return false;
  return true;
}

/**
 * MSE is minimised as n·log(SSE) (same minimiser) so that, like the likelihood, its differences
 * are on the −2·log L scale and one absolute tolerance suits every series; R's path keeps raw MSE.
 */
function objectiveValue(criterion: EtsCriterion, spec: EtsSpec, n: number, replicateR: boolean): number {
  if (criterion === 'mse') return replicateR ? (filterTotals[0] as number) / n : n * Math.log(filterTotals[0] as number);
  return spec.error === 'A' ? n * Math.log(filterTotals[0] as number) : n * Math.log(filterTotals[1] as number) + 2 * (filterTotals[2] as number);
}

/** Fits one ETS model to a series (at least 4 points; 3 seasons for a seasonal model). */
export function fitEts(series: ArrayLike<number>, spec: EtsSpec, options: EtsFitOptions = {}): EtsModel {
  const n = series.length;
  const m = spec.season === 'N' ? 1 : (options.seasonPeriod ?? 1);
  const criterion = options.criterion ?? 'likelihood';
  if (n < 4) throw new RangeError('ETS needs at least 4 observations');
  if (spec.season !== 'N' && (m < 2 || n < 3 * m)) throw new RangeError(`seasonal ETS needs 3 seasons of ${m}`);
  let positive = true;
  for (let t = 0; t < n; t++) if (!((series[t] as number) > 0)) positive = false;
  if ((spec.error === 'M' || spec.season === 'M') && !positive) throw new RangeError('multiplicative ETS needs positive data');

  // Work on a unit scale so that the simplex tolerance means the same for every series.
  const replicateR = options.optimizer === 'r-forecast';
  let scale = 0;
  for (let t = 0; t < n; t++) scale += Math.abs(series[t] as number) / n;
  if (!(scale > 0) || replicateR) scale = 1;
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++) y[t] = (series[t] as number) / scale;

  const layout: Layout = { hasTrend: spec.trend !== 'N', damped: spec.trend === 'Ad', seasonal: spec.season !== 'N' };
  const initialSeason = new Float64Array(m).fill(spec.season === 'M' ? 1 : 0);
  let adjusted: Float64Array = y;
  if (layout.seasonal) {
    const figure = seasonalFigure(y.subarray(0, 3 * m), m, spec.season === 'M' ? 'multiplicative' : 'additive');
    initialSeason.set(figure);
    adjusted = new Float64Array(n);
    for (let t = 0; t < n; t++) adjusted[t] = spec.season === 'M' ? (y[t] as number) / (figure[t % m] as number) : (y[t] as number) - (figure[t % m] as number);
  }
  const maxn = Math.min(Math.max(10, 2 * m), n);
  let level0 = 0;
  let trend0 = 0;
  if (!layout.hasTrend) {
    for (let t = 0; t < maxn; t++) level0 += (adjusted[t] as number) / maxn;
  } else {
    // Least-squares line through the first points at times 1..maxn; intercept at time 0.
    let sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (let t = 0; t < maxn; t++) {
      const x = t + 1;
      const v = adjusted[t] as number;
      sx += x; sy += v; sxx += x * x; sxy += x * v;
    }
    trend0 = (maxn * sxy - sx * sy) / (maxn * sxx - sx * sx);
    level0 = (sy - trend0 * sx) / maxn;
  }

  const alpha0 = LOWER + (0.2 * (UPPER - LOWER)) / m;
  const start: number[] = [alpha0];
  if (layout.hasTrend) start.push(LOWER + 0.1 * (Math.min(UPPER, alpha0) - LOWER));
  if (layout.seasonal) start.push(LOWER + 0.05 * (Math.min(UPPER, 1 - alpha0) - LOWER));
  if (layout.damped) start.push(0.8 + 0.99 * (0.98 - 0.8));
  start.push(level0);
  if (layout.hasTrend) start.push(trend0);

  const params: EtsParameters = { alpha: 0, beta: 0, gamma: 0, phi: 1 };
  const initial = new Float64Array(2);
  const work = new Float64Array(m);
  const objective = (x: readonly number[]): number => {
    unpack(x, layout, params, initial);
    if (!admissible(params, layout)) return Number.POSITIVE_INFINITY;
    work.set(initialSeason);
    if (!etsFilter(y, spec, params, initial[0] as number, initial[1] as number, work, null)) return Number.POSITIVE_INFINITY;
    return objectiveValue(criterion, spec, n, replicateR);
  };
  const best = replicateR
    ? nashSimplex(objective, start, { maxEvaluations: options.maxIterations ?? 2000 })
    : nelderMead(objective, start, { maxIterations: options.maxIterations ?? 2000, tolerance: OBJECTIVE_TOLERANCE });
  unpack(best.x, layout, params, initial);
  work.set(initialSeason);
  const fitted = options.fittedOut ?? null;
  etsFilter(y, spec, params, initial[0] as number, initial[1] as number, work, fitted);
  if (fitted !== null) for (let t = 0; t < n; t++) fitted[t] = (fitted[t] as number) * scale;

  const smoothingCount = 1 + (layout.hasTrend ? 1 : 0) + (layout.seasonal ? 1 : 0) + (layout.damped ? 1 : 0);
  const parameterCount = smoothingCount + 1 + (layout.hasTrend ? 1 : 0) + (layout.seasonal ? m - 1 : 0) + 1;
  const sumSquares = spec.error === 'A' ? (filterTotals[0] as number) * scale * scale : (filterTotals[1] as number);
  const minusTwoLogLikelihood = spec.error === 'A' ? n * Math.log(sumSquares) : n * Math.log(sumSquares) + 2 * ((filterTotals[2] as number) + n * Math.log(scale));
  const aic = minusTwoLogLikelihood + 2 * parameterCount;
  const aicc = n - parameterCount - 1 > 0 ? aic + (2 * parameterCount * (parameterCount + 1)) / (n - parameterCount - 1) : Number.POSITIVE_INFINITY;
  const nextSeason = Array.from({ length: m }, (_, k) => (work[(n + k) % m] as number) * (spec.season === 'A' ? scale : 1));
  return {
    spec,
    seasonPeriod: m,
    params: { ...params },
    state: { level: (filterTotals[3] as number) * scale, trend: (filterTotals[4] as number) * scale, nextSeason },
    sigma2: sumSquares / Math.max(1, n - parameterCount),
    minusTwoLogLikelihood,
    aicc,
    parameterCount,
    observations: n,
  };
}

export function predictEts(model: EtsModel, horizon: number): number[] {
  return etsPointForecast(model.spec, model.params, model.state, horizon);
}
