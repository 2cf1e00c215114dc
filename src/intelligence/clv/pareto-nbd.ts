/**
 * Pareto/NBD: Schmittlein, Morrison & Colombo (1987), "Counting Your Customers: Who Are They
 * and What Will They Do Next?", Management Science 33(1):1–24; expressions as derived in Fader
 * & Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions"
 * (brucehardie.com/notes/009).
 *
 * While active a customer buys as a Poisson process with rate λ ~ Gamma(r, α); their lifetime
 * is exponential with rate μ ~ Gamma(s, β).
 *  - likelihood: L = Γ(r+x)α^r β^s / Γ(r) · [ 1/((α+T)^(r+x)(β+T)^s) + s/(r+s+x) · A₀ ], with
 *    A₀ = F(t_x) − F(T), F(t) = 2F1(r+s+x, b; r+s+x+1; |α−β|/(m+t)) / (m+t)^(r+s+x), where
 *    m = max(α, β) and b = s+1 if α ≥ β, b = r+x otherwise (the note's two cases for A₀);
 *  - P(alive) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A₀);
 *  - E[Y(t) | x, t_x, T] = (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive);
 *  - E[X(t)] = rβ / (α(s−1)) · [1 − (β/(β+t))^(s−1)].
 * Numerical stability: everything is carried in logs; each 2F1 is evaluated through Euler's
 * transformation as a series of positive, geometrically shrinking terms
 * (special.ts, logHypergeometric2F1OneAbove), and A₀ as a log-difference.
 */
import { type FitDiagnostics, type FitOptions, groupIdentical, indexCustomers, maximiseOverPositive } from './maximum-likelihood.js';
import { logAddExp, logGamma, logHypergeometric2F1OneAbove, logSubExp } from './special.js';
import type { FrequencyRecency } from './summary.js';

export interface ParetoNbdParameters {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

/** A fitted Pareto/NBD model: plain data, JSON round-trips. */
export interface ParetoNbdModel extends ParetoNbdParameters, FitDiagnostics {
  kind: 'pareto-nbd';
}

/** log F(t) = log[2F1(r+s+x, b; r+s+x+1; |α−β|/(m+t)) / (m+t)^(r+s+x)]; A₀ = F(t_x) − F(T). */
function logF(params: ParetoNbdParameters, x: number, t: number): number {
  const { r, alpha, s, beta } = params;
  const order = r + s + x;
  const alphaLarger = alpha >= beta;
  const larger = alphaLarger ? alpha : beta;
  const b = alphaLarger ? s + 1 : r + x;
  return logHypergeometric2F1OneAbove(order, b, Math.abs(alpha - beta) / (larger + t)) - order * Math.log(larger + t);
}

/** log A₀ (−∞ when t_x = T: no room to have died unobserved after the last purchase). */
function logA0(params: ParetoNbdParameters, c: FrequencyRecency): number {
  return logSubExp(logF(params, c.frequency, c.recency), logF(params, c.frequency, c.T));
}

/** log of the likelihood's bracket divided by its "alive at T" term, i.e. log of P(alive)⁻¹ − 1. */
function logDeadToAliveRatio(params: ParetoNbdParameters, c: FrequencyRecency): number {
  const { r, alpha, s, beta } = params;
  const x = c.frequency;
  return Math.log(s / (r + s + x)) + logA0(params, c) + (r + x) * Math.log(alpha + c.T) + s * Math.log(beta + c.T);
}

/** One customer's log-likelihood. */
export function paretoNbdLogLikelihood(params: ParetoNbdParameters, c: FrequencyRecency): number {
  const { r, alpha, s, beta } = params;
  const x = c.frequency;
  const aliveAtT = -(r + x) * Math.log(alpha + c.T) - s * Math.log(beta + c.T);
  const diedUnseen = Math.log(s / (r + s + x)) + logA0(params, c);
  return logGamma(r + x) - logGamma(r) + r * Math.log(alpha) + s * Math.log(beta) + logAddExp(aliveAtT, diedUnseen);
}

export function paretoNbdTotalLogLikelihood(params: ParetoNbdParameters, customers: readonly FrequencyRecency[]): number {
  let total = 0;
  for (const c of groupIdentical(customers)) total += c.weight * paretoNbdLogLikelihood(params, c);
  return total;
}

const DEFAULT_START = [1, 1, 1, 1];

/**
 * When the data show no heterogeneity in purchase rates (or in lifetimes) the likelihood keeps
 * rising as r and α (or s and β) grow together towards a fixed ratio: there is no finite
 * maximum. The fit then stops at its iteration limit with `converged: false`; its predictions
 * are those of the homogeneous limit, which is what the data support.
 */
export function fitParetoNbd(customers: readonly FrequencyRecency[], options: FitOptions = {}): ParetoNbdModel {
  const data = indexCustomers(customers);
  const xs = data.distinctFrequencies;
  const times = data.distinctTimes;
  // F(t) depends on the customer only through (x, t): on CDNOW 2,700 pairs serve 8,685 triples.
  const pairOf = new Map<number, number>();
  const pairs: [number, number][] = [];
  const pairIndex = (xi: number, ti: number): number => {
    const key = xi * times.length + ti;
    let found = pairOf.get(key);
    if (found === undefined) {
      found = pairs.length;
      pairOf.set(key, found);
      pairs.push([xs[xi] as number, times[ti] as number]);
    }
    return found;
  };
  const recencyPair = Int32Array.from(data.weight, (_, i) => pairIndex(data.frequencyIndex[i] as number, data.recencyIndex[i] as number));
  const tPair = Int32Array.from(data.weight, (_, i) => pairIndex(data.frequencyIndex[i] as number, data.tIndex[i] as number));
  const logFOfPair = new Float64Array(pairs.length);
  const perX = new Float64Array(xs.length);
  const logDeathShare = new Float64Array(xs.length);
  const logAlphaPlusTime = new Float64Array(times.length);
  const logBetaPlusTime = new Float64Array(times.length);

  const logLikelihood = ([r = 1, alpha = 1, s = 1, beta = 1]: readonly number[]): number => {
    const params = { r, alpha, s, beta };
    const base = -logGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] as number;
      perX[i] = base + logGamma(r + x);
      logDeathShare[i] = Math.log(s / (r + s + x));
    }
    for (let i = 0; i < times.length; i++) {
      logAlphaPlusTime[i] = Math.log(alpha + (times[i] as number));
      logBetaPlusTime[i] = Math.log(beta + (times[i] as number));
    }
    for (let p = 0; p < pairs.length; p++) {
      const [x, t] = pairs[p] as [number, number];
      logFOfPair[p] = logF(params, x, t);
    }
    let total = 0;
    for (let i = 0; i < data.weight.length; i++) {
      const xi = data.frequencyIndex[i] as number;
      const ti = data.tIndex[i] as number;
      const x = xs[xi] as number;
      const aliveAtT = -(r + x) * (logAlphaPlusTime[ti] as number) - s * (logBetaPlusTime[ti] as number);
      const diedUnseen = (logDeathShare[xi] as number) + logSubExp(logFOfPair[recencyPair[i] as number] as number, logFOfPair[tPair[i] as number] as number);
      total += (data.weight[i] as number) * ((perX[xi] as number) + logAddExp(aliveAtT, diedUnseen));
    }
    return total;
  };
  const fit = maximiseOverPositive(logLikelihood, options.start ?? DEFAULT_START, options);
  const [r = 1, alpha = 1, s = 1, beta = 1] = fit.params;
  return {
    kind: 'pareto-nbd',
    r,
    alpha,
    s,
    beta,
    logLikelihood: fit.logLikelihood,
    customers: customers.length,
    iterations: fit.iterations,
    converged: fit.converged,
  };
}

/** P(still active at T | x, t_x, T). Tends to 1 as T → t_x: no time has passed to lose them. */
export function paretoNbdProbabilityAlive(params: ParetoNbdParameters, c: FrequencyRecency): number {
  return 1 / (1 + Math.exp(logDeadToAliveRatio(params, c)));
}

/** [1 − (base/(base+t))^(s−1)] / (s − 1), continuous through s = 1 (where it is log((base+t)/base)). */
function lifetimeWeightedHorizon(s: number, base: number, t: number): number {
  const logRatio = Math.log1p(t / base);
  const k = s - 1;
  if (Math.abs(k) < 1e-12) return logRatio;
  return -Math.expm1(-k * logRatio) / k;
}

/** E[X(t)]: purchases a new customer makes in their first t time units. */
export function paretoNbdExpectedPurchasesNewCustomer(params: ParetoNbdParameters, t: number): number {
  const { r, alpha, s, beta } = params;
  if (t <= 0) return 0;
  return ((r * beta) / alpha) * lifetimeWeightedHorizon(s, beta, t);
}

/** E[Y(t) | x, t_x, T]: purchases this customer makes in the next t time units. */
export function paretoNbdExpectedPurchases(params: ParetoNbdParameters, c: FrequencyRecency, horizon: number): number {
  const { r, alpha, s, beta } = params;
  if (horizon <= 0) return 0;
  const x = c.frequency;
  const ifAlive = (((r + x) * (beta + c.T)) / (alpha + c.T)) * lifetimeWeightedHorizon(s, beta + c.T, horizon);
  return ifAlive * paretoNbdProbabilityAlive(params, c);
}
