/**
 * Exponential smoothing in innovations state-space form, ETS(E,T,S) with error A/M, trend
 * N/A/Ad and season N/A/M: Hyndman, Koehler, Snyder & Grose (2002), IJF 18(3), and Hyndman,
 * Koehler, Ord & Snyder (2008), "Forecasting with Exponential Smoothing", Table 2.3.
 *
 * Point recursions do not depend on the error type (both are the error-correction form written
 * with the one-step error e = y − ŷ), so one filter serves every model; the error type only
 * changes the likelihood (§5.2: n·log Σe² for additive, n·log Σ(e/ŷ)² + 2·Σlog|ŷ| for
 * multiplicative). SES, Holt, damped trend and Holt–Winters are ETS(A,N,N), (A,A,N), (A,Ad,N),
 * (A,A,A) and (A,A,M). The filter writes into caller-owned typed arrays so that the likelihood
 * loop inside the optimiser allocates nothing.
 */

export type ErrorType = 'A' | 'M';
export type TrendType = 'N' | 'A' | 'Ad';
export type SeasonType = 'N' | 'A' | 'M';

export interface EtsSpec {
  error: ErrorType;
  trend: TrendType;
  season: SeasonType;
}

export interface EtsParameters {
  alpha: number;
  /** 0 when the model has no trend. */
  beta: number;
  /** 0 when the model has no season. */
  gamma: number;
  /** 1 unless the trend is damped. */
  phi: number;
}

/** Sums the filter leaves behind: [Σe², Σ(e/ŷ)², Σlog|ŷ|, final level, final trend]. */
export const filterTotals = new Float64Array(5);

/**
 * Runs the recursions over y from the initial states. `season` holds, on entry, the initial
 * seasonal state per phase (index t mod m) and, on exit, the latest one per phase. Returns
 * false when a multiplicative component leaves positive territory (the model is then invalid).
 */
export function etsFilter(
  y: ArrayLike<number>,
  spec: EtsSpec,
  params: EtsParameters,
  initialLevel: number,
  initialTrend: number,
  season: Float64Array,
  fitted: Float64Array | null,
): boolean {
  const { alpha, beta, gamma, phi } = params;
  const hasTrend = spec.trend !== 'N';
  const additiveSeason = spec.season === 'A';
  const multiplicativeSeason = spec.season === 'M';
  const needsPositive = spec.error === 'M' || multiplicativeSeason;
  const m = season.length;
  let level = initialLevel;
  let trend = hasTrend ? initialTrend : 0;
  let sse = 0;
  let sseRelative = 0;
  let sumLog = 0;
  for (let t = 0; t < y.length; t++) {
    const phase = t % m;
    const s = season[phase] as number;
    const base = level + phi * trend;
    const forecast = additiveSeason ? base + s : multiplicativeSeason ? base * s : base;
    if (needsPositive && !(forecast > 0 && base > 0)) return false;
    if (fitted !== null) fitted[t] = forecast;
    const error = (y[t] as number) - forecast;
    sse += error * error;
    if (needsPositive) {
      const relative = error / forecast;
      sseRelative += relative * relative;
      sumLog += Math.log(forecast);
    }
    const scaled = multiplicativeSeason ? error / s : error;
    level = base + alpha * scaled;
    if (hasTrend) trend = phi * trend + beta * scaled;
    if (additiveSeason) season[phase] = s + gamma * error;
    else if (multiplicativeSeason) season[phase] = s + (gamma * error) / base;
  }
  filterTotals[0] = sse;
  filterTotals[1] = sseRelative;
  filterTotals[2] = sumLog;
  filterTotals[3] = level;
  filterTotals[4] = trend;
  return Number.isFinite(sse);
}

/** Final states of a fitted model; `nextSeason[k % m]` applies k+1 steps after the data. */
export interface EtsState {
  level: number;
  trend: number;
  nextSeason: number[];
}

/** Point forecasts ŷ_{n+k} = (ℓ + φ_k b) ⊕ s, with φ_k = φ + … + φ^k (eq. 2.? of Table 2.1). */
export function etsPointForecast(spec: EtsSpec, params: EtsParameters, state: EtsState, horizon: number): number[] {
  const out: number[] = [];
  let dampedSum = 0;
  let power = 1;
  for (let k = 0; k < horizon; k++) {
    power *= params.phi;
    dampedSum += power;
    const base = state.level + (spec.trend === 'N' ? 0 : dampedSum * state.trend);
    const s = spec.season === 'N' ? 0 : (state.nextSeason[k % state.nextSeason.length] as number);
    out.push(spec.season === 'A' ? base + s : spec.season === 'M' ? base * s : base);
  }
  return out;
}

/**
 * Forecast variance for the linear models ETS(A,{N,A,Ad},{N,A}) (Hyndman et al. 2008, Table 6.1,
 * class 1): σ²·(1 + Σ_{j<k} c_j²) with c_j = α + β·(φ + … + φ^j) + γ·[j mod m = 0].
 * Returns null for the non-linear classes, whose intervals come from backtest residuals instead.
 */
export function etsForecastVariance(spec: EtsSpec, params: EtsParameters, sigma2: number, seasonPeriod: number, horizon: number): number[] | null {
  if (spec.error !== 'A' || spec.season === 'M') return null;
  const out: number[] = [];
  let accumulated = 1;
  let dampedSum = 0;
  let power = 1;
  for (let k = 1; k <= horizon; k++) {
    out.push(sigma2 * accumulated);
    power *= params.phi;
    dampedSum += power;
    const seasonal = spec.season === 'A' && k % seasonPeriod === 0 ? params.gamma : 0;
    const c = params.alpha + (spec.trend === 'N' ? 0 : params.beta * dampedSum) + seasonal;
    accumulated += c * c;
  }
  return out;
}

export function specName(spec: EtsSpec): string {
  return `ETS(${spec.error},${spec.trend},${spec.season})`;
}
