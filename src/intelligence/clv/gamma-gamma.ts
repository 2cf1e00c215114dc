/**
 * Gamma-Gamma model of spend per transaction: Fader, Hardie & Lee (2005), "RFM and CLV: Using
 * Iso-Value Curves for Customer Base Analysis", Journal of Marketing Research 42(4):415–430,
 * §3; notation and expressions from Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary
 * Value" (brucehardie.com/notes/025).
 *
 * A customer's transaction amounts are Gamma(p, ν), with ν ~ Gamma(q, γ) across customers,
 * and independent of how often they buy. Given x repeat transactions with mean z̄:
 *  - likelihood of z̄ (the note's density of the mean, ν integrated out):
 *    Γ(px+q)/(Γ(px)Γ(q)) · γ^q · z̄^(px−1) · x^(px) / (γ + x z̄)^(px+q);
 *  - E[Z | x, z̄] = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · z̄, a weighted average of the
 *    population mean pγ/(q−1) and the customer's own mean (the note's conditional expectation).
 * Fit only on customers with x > 0: the others say nothing about spend.
 */
import { sampleCorrelation } from 'simple-statistics';
import { type FitOptions, maximiseOverPositive } from './maximum-likelihood.js';
import { logGamma } from './special.js';

export interface SpendSummary {
  /** x: repeat transactions the mean is taken over. */
  frequency: number;
  /** z̄: their mean amount. */
  monetary: number;
}

export interface GammaGammaParameters {
  p: number;
  q: number;
  gamma: number;
}

/** A fitted Gamma-Gamma model: plain data, JSON round-trips. */
export interface GammaGammaModel extends GammaGammaParameters {
  kind: 'gamma-gamma';
  logLikelihood: number;
  /** Customers with x > 0 and a positive mean: the ones the model was fitted on. */
  customers: number;
  iterations: number;
  converged: boolean;
}

function informative(c: SpendSummary): boolean {
  return c.frequency > 0 && c.monetary > 0;
}

/** One customer's log-likelihood of their mean spend; 0 (no information) when x = 0. */
export function gammaGammaLogLikelihood(params: GammaGammaParameters, c: SpendSummary): number {
  if (!informative(c)) return 0;
  const { p, q, gamma } = params;
  const x = c.frequency;
  const m = c.monetary;
  return (
    logGamma(p * x + q) - logGamma(p * x) - logGamma(q) + q * Math.log(gamma) + (p * x - 1) * Math.log(m) + p * x * Math.log(x) - (p * x + q) * Math.log(gamma + x * m)
  );
}

export function gammaGammaTotalLogLikelihood(params: GammaGammaParameters, customers: readonly SpendSummary[]): number {
  let total = 0;
  for (const c of customers) total += gammaGammaLogLikelihood(params, c);
  return total;
}

const DEFAULT_START = [1, 1, 1];

export function fitGammaGamma(customers: readonly SpendSummary[], options: FitOptions = {}): GammaGammaModel {
  const used = customers.filter(informative);
  // The gamma-function terms depend on the customer only through x: once per distinct x.
  const distinctX = [...new Set(used.map((c) => c.frequency))];
  const xIndex = new Map(distinctX.map((x, i) => [x, i]));
  const customerX = Int32Array.from(used, (c) => xIndex.get(c.frequency) as number);
  const perX = new Float64Array(distinctX.length);
  const x = Float64Array.from(used, (c) => c.frequency);
  const logX = x.map(Math.log);
  const m = Float64Array.from(used, (c) => c.monetary);
  const logM = m.map(Math.log);
  const logLikelihood = ([p = 1, q = 1, gamma = 1]: readonly number[]): number => {
    const perCustomerConstant = -logGamma(q) + q * Math.log(gamma);
    for (let k = 0; k < distinctX.length; k++) {
      const px = p * (distinctX[k] as number);
      perX[k] = perCustomerConstant + logGamma(px + q) - logGamma(px);
    }
    let total = 0;
    for (let i = 0; i < used.length; i++) {
      const xi = x[i] as number;
      const px = p * xi;
      total += (perX[customerX[i] as number] as number) + (px - 1) * (logM[i] as number) + px * (logX[i] as number) - (px + q) * Math.log(gamma + xi * (m[i] as number));
    }
    return total;
  };
  const fit = maximiseOverPositive(logLikelihood, options.start ?? DEFAULT_START, options);
  const [p = 1, q = 1, gamma = 1] = fit.params;
  return { kind: 'gamma-gamma', p, q, gamma, logLikelihood: fit.logLikelihood, customers: used.length, iterations: fit.iterations, converged: fit.converged };
}

/** Why a customer's expected spend is what it is: the shrinkage between them and everyone. */
export interface ExpectedSpendExplanation {
  expected: number;
  /** pγ/(q−1): what an unknown customer spends per transaction (∞ when q ≤ 1). */
  populationMean: number;
  /** The customer's own z̄ (0 when they have no repeat transaction). */
  observedMean: number;
  /** px/(px+q−1): how much the estimate trusts the customer's own mean; grows with x. */
  weightOnObserved: number;
}

export function explainExpectedSpend(params: GammaGammaParameters, c: SpendSummary): ExpectedSpendExplanation {
  const { p, q, gamma } = params;
  const populationMean = q > 1 ? (p * gamma) / (q - 1) : Number.POSITIVE_INFINITY;
  if (!informative(c)) return { expected: populationMean, populationMean, observedMean: 0, weightOnObserved: 0 };
  const px = p * c.frequency;
  return {
    expected: (p * (gamma + c.frequency * c.monetary)) / (px + q - 1),
    populationMean,
    observedMean: c.monetary,
    weightOnObserved: px / (px + q - 1),
  };
}

/** E[Z | x, z̄]: expected amount of this customer's future transactions. */
export function gammaGammaExpectedSpend(params: GammaGammaParameters, c: SpendSummary): number {
  return explainExpectedSpend(params, c).expected;
}

/**
 * Pearson correlation of x and z̄ among returning customers. The model assumes spend is
 * independent of frequency; a value near 0 (CDNOW: 0.11) says the assumption is tenable, a
 * strong one says to model spend and frequency jointly instead. NaN with fewer than two.
 */
export function spendFrequencyCorrelation(customers: readonly SpendSummary[]): number {
  const used = customers.filter(informative);
  if (used.length < 2) return Number.NaN;
  return sampleCorrelation(
    used.map((c) => c.frequency),
    used.map((c) => c.monetary),
  );
}
