/**
 * Special functions the buy-till-you-die likelihoods need: log-gamma (Lanczos, from
 * simple-statistics), log-beta, a log-sum/difference of exponentials, and the Gauss
 * hypergeometric function 2F1 on [0, 1) by its defining power series (Abramowitz & Stegun
 * 15.1.1) with the Euler transformation (A&S 15.3.3) available to callers.
 *
 * The callers arrange their 2F1 so that every term is small and the series is summed without
 * overflow; here we only sum it carefully and bound the work.
 */
import { gammaln } from 'simple-statistics';

export const logGamma: (x: number) => number = gammaln;

export function logBeta(a: number, b: number): number {
  return gammaln(a) + gammaln(b) - gammaln(a + b);
}

/** log(e^x + e^y) without overflow. */
export function logAddExp(x: number, y: number): number {
  if (x === Number.NEGATIVE_INFINITY) return y;
  if (y === Number.NEGATIVE_INFINITY) return x;
  const high = Math.max(x, y);
  return high + Math.log1p(Math.exp(Math.min(x, y) - high));
}

/** log(e^x − e^y) for x ≥ y; −∞ when they are equal (an empty interval contributes nothing). */
export function logSubExp(x: number, y: number): number {
  if (y > x) return Number.NaN;
  if (y === Number.NEGATIVE_INFINITY) return x;
  if (x === y) return Number.NEGATIVE_INFINITY;
  return x + Math.log(-Math.expm1(y - x));
}

const MAX_TERMS = 200_000;

/**
 * 2F1(a, b; c; z) for 0 ≤ z < 1 (c not a non-positive integer) by direct summation of
 * Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ. The term ratio tends to z, so the number of terms grows like
 * log(ε)/log(z); once the ratio settles below one the remaining tail is bounded by a
 * geometric series, which is the stopping rule.
 */
export function hypergeometric2F1(a: number, b: number, c: number, z: number): number {
  if (!(z >= 0 && z < 1) || (c <= 0 && Number.isInteger(c))) return Number.NaN;
  if (z === 0 || a === 0 || b === 0) return 1;
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_TERMS; n++) {
    const ratio = ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z;
    term *= ratio;
    sum += term;
    if (term === 0) return sum;
    // Once |ratio| is decreasing towards z (n past a, b and c), the tail is at most
    // |term|·q/(1−q) with q the current ratio.
    const q = Math.abs(ratio);
    if (n + 1 > Math.max(Math.abs(a), Math.abs(b), c) && q < 1 && (Math.abs(term) * q) / (1 - q) <= 1e-16 * Math.abs(sum)) return sum;
  }
  return sum;
}

/**
 * log 2F1(a, b; c; z) for a, b, c > 0 and 0 ≤ z < 1, where every series term is positive, so
 * the sum is accurate to rounding however many terms it takes; the running sum is rescaled so
 * that terms of size e^700 and beyond (large a, b with z near 1) do not overflow.
 */
export function logHypergeometric2F1Positive(a: number, b: number, c: number, z: number): number {
  if (!(z >= 0 && z < 1) || !(a > 0 && b > 0 && c > 0)) return Number.NaN;
  let logScale = 0;
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_TERMS; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    if (sum > 1e250) {
      sum /= 1e250;
      term /= 1e250;
      logScale += 250 * Math.LN10;
    }
    if (ratio < 1 && n + 1 > c && (term * ratio) / (1 - ratio) <= 1e-16 * sum) break;
  }
  return logScale + Math.log(sum);
}

/**
 * log 2F1(a, b; a + 1; z) for a > 0, 0 ≤ b ≤ a + 1, 0 ≤ z < 1 (NaN outside): the form the
 * Pareto/NBD likelihood needs. Euler's transformation gives (1 − z)^(1 − b) · G with
 * G = 2F1(1, a + 1 − b; a + 1; z), whose series has positive terms each at most z times the one
 * before, so nothing cancels and nothing overflows even when b (= r + x for a heavy buyer) is
 * in the hundreds. That series needs ~log(ε)/log(z) terms, hopeless as z → 1 (which happens
 * when one of α, β dwarfs the other, e.g. when the optimiser explores a nearly homogeneous
 * purchase rate), so above z = ½ G comes from Gauss's continued fraction instead.
 */
export function logHypergeometric2F1OneAbove(a: number, b: number, z: number): number {
  if (!(z >= 0 && z < 1) || !(a > 0) || !(b >= 0 && b <= a + 1)) return Number.NaN;
  if (z === 0) return 0;
  const c = a + 1;
  const shifted = c - b;
  const g = z <= 0.5 ? positiveSeriesOneB(shifted, c, z) : continuedFractionOneB(shifted, c, z);
  return (1 - b) * Math.log1p(-z) + Math.log(g);
}

/** 2F1(1, b; c; z) for 0 ≤ b ≤ c by its series; the tail after a term t is at most t·z/(1 − z). */
function positiveSeriesOneB(b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_TERMS; n++) {
    term *= ((b + n) / (c + n)) * z;
    sum += term;
    if (term * z <= 1e-16 * sum * (1 - z)) break;
  }
  return sum;
}

/**
 * 2F1(1, b; c; z) = 2F1(0 + 1, b; (c − 1) + 1; z) / 2F1(0, b; c − 1; z) by Gauss's continued
 * fraction (Wall 1948, eq. 89.9; Cuyt et al. 2008, Handbook of Continued Fractions, 15.3.5):
 * 1/(1 + k₁z/(1 + k₂z/(1 + …))) with, for a = 0 and c′ = c − 1,
 * k₂ₙ₊₁ = (a−c′−n)(b+n)/((c′+2n)(c′+2n+1)), k₂ₙ = (b−c′−n)(a+n)/((c′+2n−1)(c′+2n)),
 * evaluated by the modified Lentz algorithm (Numerical Recipes 3rd ed., §5.2). It converges
 * in hundreds of steps where the series needs hundreds of thousands.
 */
function continuedFractionOneB(b: number, c: number, z: number): number {
  const cPrime = c - 1;
  const tiny = 1e-300;
  let value = 1;
  let lentzC = 1;
  let lentzD = 0;
  for (let m = 1; m < MAX_TERMS; m++) {
    const n = Math.floor(m / 2);
    const k =
      m % 2 === 1
        ? ((-cPrime - n) * (b + n)) / ((cPrime + 2 * n) * (cPrime + 2 * n + 1))
        : ((b - cPrime - n) * n) / ((cPrime + 2 * n - 1) * (cPrime + 2 * n));
    const step = k * z;
    lentzD = 1 + step * lentzD;
    if (Math.abs(lentzD) < tiny) lentzD = tiny;
    lentzD = 1 / lentzD;
    lentzC = 1 + step / lentzC;
    if (Math.abs(lentzC) < tiny) lentzC = tiny;
    const delta = lentzC * lentzD;
    value *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / value;
}

/**
 * ∫₀¹ exp(logIntegrand(p, 1 − p)) dp by tanh-sinh quadrature (Takahasi & Mori 1974), which
 * copes with integrable endpoint singularities such as p^(a−1), a < 1, and with mass piled
 * against an endpoint. 1 − p is passed separately, computed without cancellation near p = 1.
 * Step halving until two estimates agree to 1e-12 (relative).
 */
export function integrateUnitInterval(logIntegrand: (p: number, oneMinusP: number) => number): number {
  // At u = ±6.1 the nodes are 1e-300 from the ends: a singularity like p^(−0.6) leaves a tail
  // of ~1e-120 beyond them (p^(−0.99) would leave 1e-3: integrands that close to
  // non-integrable are out of reach).
  const limit = 6.1;
  const node = (u: number): number => {
    const s = Math.PI * Math.sinh(u);
    const p = 1 / (1 + Math.exp(-s));
    const q = 1 / (1 + Math.exp(s));
    if (p <= 0 || q <= 0) return 0;
    // dp/du = π cosh(u) · p · q
    const value = Math.exp(logIntegrand(p, q) + Math.log(Math.PI * Math.cosh(u) * p * q));
    return Number.isFinite(value) ? value : 0;
  };
  let h = 0.5;
  let sum = node(0);
  for (let u = h; u <= limit; u += h) sum += node(u) + node(-u);
  let estimate = sum * h;
  for (let level = 0; level < 8; level++) {
    h /= 2;
    for (let u = h; u <= limit; u += 2 * h) sum += node(u) + node(-u);
    const refined = sum * h;
    if (Math.abs(refined - estimate) <= 1e-12 * Math.abs(refined)) return refined;
    estimate = refined;
  }
  return estimate;
}
