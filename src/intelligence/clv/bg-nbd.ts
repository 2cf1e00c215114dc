/**
 * BG/NBD: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way: An Alternative to
 * the Pareto/NBD Model", Marketing Science 24(2):275–284.
 *
 * While active a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each
 * purchase they become inactive with probability p ~ Beta(a, b).
 *  - log-likelihood: eq. (6);
 *  - P(alive | x, t_x, T): Fader, Hardie & Lee, "Computing P(alive) Using the BG/NBD Model"
 *    (brucehardie.com/notes/021); it is also the denominator of eq. (10);
 *  - E[X(t)] for a new customer: eq. (9);
 *  - E[Y(t) | x, t_x, T], purchases in the next t: eq. (10).
 * The 2F1 term of eqs. (9)–(10) is summed in whichever of its own form or Euler's (A&S
 * 15.3.3) has terms of one sign, in logs; near a = 1 (where the equations are 0/0) and where
 * the series would be very long, the expectation is integrated over the posterior instead.
 */
import { type FitDiagnostics, type FitOptions, groupIdentical, indexCustomers, maximiseOverPositive } from './maximum-likelihood.js';
import { hypergeometric2F1, integrateUnitInterval, logAddExp, logBeta, logGamma, logHypergeometric2F1Positive } from './special.js';
import type { FrequencyRecency } from './summary.js';

export interface BgNbdParameters {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** A fitted BG/NBD model: plain data, JSON round-trips. */
export interface BgNbdModel extends BgNbdParameters, FitDiagnostics {
  kind: 'bg-nbd';
}

/** One customer's log-likelihood, eq. (6). */
export function bgNbdLogLikelihood(params: BgNbdParameters, c: FrequencyRecency): number {
  const { r, alpha, a, b } = params;
  const x = c.frequency;
  const common =
    logGamma(r + x) - logGamma(r) + r * Math.log(alpha) + logGamma(a + b) + logGamma(b + x) - logGamma(b) - logGamma(a + b + x);
  const stillAlive = -(r + x) * Math.log(alpha + c.T);
  if (x === 0) return common + stillAlive;
  const droppedAfterLast = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + c.recency);
  return common + logAddExp(stillAlive, droppedAfterLast);
}

/** Sum of eq. (6) over customers. */
export function bgNbdTotalLogLikelihood(params: BgNbdParameters, customers: readonly FrequencyRecency[]): number {
  let total = 0;
  for (const c of groupIdentical(customers)) total += c.weight * bgNbdLogLikelihood(params, c);
  return total;
}

const DEFAULT_START = [1, 1, 1, 1];

export function fitBgNbd(customers: readonly FrequencyRecency[], options: FitOptions = {}): BgNbdModel {
  const data = indexCustomers(customers);
  const xs = data.distinctFrequencies;
  const times = data.distinctTimes;
  const perX = new Float64Array(xs.length);
  const logDropoutShare = new Float64Array(xs.length);
  const logAlphaPlusTime = new Float64Array(times.length);

  // Eq. (6) with its gamma-function terms computed per distinct x and its logs per distinct time.
  const logLikelihood = ([r = 1, alpha = 1, a = 1, b = 1]: readonly number[]): number => {
    const base = -logGamma(r) + r * Math.log(alpha) + logGamma(a + b) - logGamma(b);
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] as number;
      perX[i] = base + logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x);
      logDropoutShare[i] = Math.log(a) - Math.log(b + x - 1);
    }
    for (let i = 0; i < times.length; i++) logAlphaPlusTime[i] = Math.log(alpha + (times[i] as number));
    let total = 0;
    for (let i = 0; i < data.weight.length; i++) {
      const xi = data.frequencyIndex[i] as number;
      const x = xs[xi] as number;
      const stillAlive = -(r + x) * (logAlphaPlusTime[data.tIndex[i] as number] as number);
      const term =
        x === 0 ? stillAlive : logAddExp(stillAlive, (logDropoutShare[xi] as number) - (r + x) * (logAlphaPlusTime[data.recencyIndex[i] as number] as number));
      total += (data.weight[i] as number) * ((perX[xi] as number) + term);
    }
    return total;
  };

  const fit = maximiseOverPositive(logLikelihood, options.start ?? DEFAULT_START, options);
  const [r = 1, alpha = 1, a = 1, b = 1] = fit.params;
  return {
    kind: 'bg-nbd',
    r,
    alpha,
    a,
    b,
    logLikelihood: fit.logLikelihood,
    customers: customers.length,
    iterations: fit.iterations,
    converged: fit.converged,
  };
}

/** P(still active at T | x, t_x, T). Exactly 1 with no repeat purchase: BG/NBD only lets a customer drop out right after buying. */
export function bgNbdProbabilityAlive(params: BgNbdParameters, c: FrequencyRecency): number {
  const { r, alpha, a, b } = params;
  const x = c.frequency;
  if (x === 0) return 1;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + c.T) - Math.log(alpha + c.recency));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * (a + b + x − 1)/(a − 1) · [1 − ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))],
 * the bracket shared by eqs. (9) (x = 0, T = 0) and (10).
 */
function expectedIfAlive(params: BgNbdParameters, x: number, T: number, t: number): number {
  const { r, alpha, a, b } = params;
  if (t <= 0) return 0;
  const z = t / (alpha + T + t);
  const c = a + b + x - 1;
  const p = c - (r + x);
  // Near a = 1 the 1/(a−1) magnifies every rounding error (and at 1 it is 0/0); with p ≤ −1
  // and z near 1 the positive series needs ~(r+x)z/(1−z) terms. Integrate instead.
  if (Math.abs(a - 1) < 1e-3 || (p <= -1 && ((r + x) * z) / (1 - z) > 20_000)) return expectedIfAliveByQuadrature(params, x, T, t);
  return (c / (a - 1)) * (1 - hypergeometricTerm(r, a, b, x, z));
}

/**
 * The same expectation from its definition: given alive at T, λ ~ Gamma(r+x, α+T) and
 * p ~ Beta(a, b+x) independently, and E[purchases in t | λ, p] = (1 − e^(−λpt))/p (FHL 2005,
 * §3), so E = ∫₀¹ Beta(p; a, b+x) · (1 − (1 + pt/(α+T))^(−(r+x)))/p dp.
 */
export function expectedIfAliveByQuadrature(params: BgNbdParameters, x: number, T: number, t: number): number {
  const { r, alpha, a, b } = params;
  const k = t / (alpha + T);
  const logNorm = logBeta(a, b + x);
  return integrateUnitInterval(
    (p, q) => (a - 2) * Math.log(p) + (b + x - 1) * Math.log(q) - logNorm + Math.log(-Math.expm1(-(r + x) * Math.log1p(p * k))),
  );
}

/**
 * ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; c; z) = (1 − z)^(r+x) · 2F1(…), c = a+b+x−1, z < 1.
 * Euler's form (1 − z)^(a−1) · 2F1(p, a−1; c; z), p = c−r−x = a+b−1−r, has parameters that do
 * not grow with x. Which series to sum depends on signs:
 *  - p, a−1 > 0: Euler's form, all terms positive, in logs (its 2F1 can exceed 1e300);
 *  - p ≤ −1 (large r): Euler's series would alternate into catastrophic cancellation, so sum
 *    the paper's own series, all of whose terms are positive, in logs;
 *  - otherwise one parameter lies in (−1, 0]: Euler's terms keep one sign after the first and
 *    are bounded by zⁿ/n, so plain summation is accurate.
 */
function hypergeometricTerm(r: number, a: number, b: number, x: number, z: number): number {
  const c = a + b + x - 1;
  const p = c - (r + x);
  if (c > 0 && p > 0 && a > 1) return Math.exp((a - 1) * Math.log1p(-z) + logHypergeometric2F1Positive(p, a - 1, c, z));
  if (c > 0 && p <= -1) return Math.exp((r + x) * Math.log1p(-z) + logHypergeometric2F1Positive(r + x, b + x, c, z));
  return Math.exp((a - 1) * Math.log1p(-z)) * hypergeometric2F1(p, a - 1, c, z);
}

/** E[X(t)]: purchases a new customer makes in their first t time units, eq. (9). */
export function bgNbdExpectedPurchasesNewCustomer(params: BgNbdParameters, t: number): number {
  return expectedIfAlive(params, 0, 0, t);
}

/** E[Y(t) | x, t_x, T]: purchases this customer makes in the next t time units, eq. (10). */
export function bgNbdExpectedPurchases(params: BgNbdParameters, c: FrequencyRecency, horizon: number): number {
  const { r, alpha, a, b } = params;
  const x = c.frequency;
  const ifAlive = expectedIfAlive(params, x, c.T, horizon);
  if (x === 0) return ifAlive;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + c.T) - Math.log(alpha + c.recency));
  return ifAlive / (1 + Math.exp(logOdds));
}
