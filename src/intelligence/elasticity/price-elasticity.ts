/**
 * Own-price elasticity of demand from the constant-elasticity (log-log) model
 *   ln q = α + ε ln p (+ γ'controls) + u,
 * so ε is the % change in quantity per 1 % change in price (the textbook constant-elasticity
 * demand regression, e.g. Deaton & Muellbauer 1980, "Economics and Consumer Behavior"). Fitted
 * by OLS with classical standard errors and t-based confidence intervals (ols.ts, student-t.ts).
 *
 * Per category the products are pooled with a product fixed effect (the "within" estimator,
 * Wooldridge 2010, "Econometric Analysis of Cross Section and Panel Data", 2nd ed., §10.5):
 * each product keeps its own demand level, and ε is the common slope identified only from
 * price changes within products — never from cheap products simply selling more units.
 *
 * This is an association on observational data: prices that move with demand (promotions,
 * volume discounts) bias ε. The explanation says so; a merchant should read it as a guide.
 */
import { fitOls } from './ols.js';
import { studentTQuantile, studentTTwoSidedP } from './student-t.js';

export interface PriceObservation {
  /** Price in any consistent unit (> 0). */
  price: number;
  /** Units sold at that price in the period (> 0). */
  quantity: number;
  /** Optional extra regressors (e.g. season dummies, promotion flag), same length for all. */
  controls?: readonly number[];
}

export interface ElasticityOptions {
  /** Default 0.95. */
  confidence?: number;
  /** Fewest usable observations (after dropping zero prices/quantities). Default 8. */
  minObservations?: number;
  /** Fewest distinct prices. Default 3. */
  minDistinctPrices?: number;
  /** Smallest spread max ln p − min ln p (default 0.05, about a 5 % price range). */
  minLogPriceRange?: number;
}

export interface ElasticityEstimate {
  status: 'estimated' | 'insufficient-data';
  /** ε; null when not estimated. */
  elasticity: number | null;
  standardError: number | null;
  confidenceInterval: [number, number] | null;
  pValue: number | null;
  /** p-value below 1 − confidence. */
  significant: boolean;
  observations: number;
  distinctPrices: number;
  /** Products pooled (1 for a single product). */
  products: number;
  rSquared: number | null;
  explanation: string;
}

interface Prepared {
  y: number[];
  logPrice: number[];
  controls: number[][];
  distinctPrices: number;
}

function prepare(observations: readonly PriceObservation[]): Prepared {
  const usable = observations.filter((o) => o.price > 0 && o.quantity > 0 && Number.isFinite(o.price) && Number.isFinite(o.quantity));
  return {
    y: usable.map((o) => Math.log(o.quantity)),
    logPrice: usable.map((o) => Math.log(o.price)),
    controls: usable.map((o) => [...(o.controls ?? [])]),
    distinctPrices: new Set(usable.map((o) => o.price)).size,
  };
}

function percent(x: number): string {
  return `${Math.abs(x * 100).toFixed(Math.abs(x) < 0.1 ? 1 : 0)}%`;
}

/** "A 10% price rise goes with …" — the exact change under the log-log model, 1.1^ε − 1. */
function describe(e: number, lo: number, hi: number, p: number, confidence: number, n: number, prices: number, products: number): string {
  const change = (eps: number) => Math.pow(1.1, eps) - 1;
  const direction = change(e) < 0 ? 'fall' : 'rise';
  const where = products > 1 ? ` across ${products} products (each keeps its own demand level)` : '';
  const verdict = p < 1 - confidence
    ? `significant at ${Math.round((1 - confidence) * 100)}%`
    : `not significant at ${Math.round((1 - confidence) * 100)}% — the data cannot tell this from no effect`;
  const kind = e < -1 ? 'elastic: a price cut would raise revenue' : e < 0 ? 'inelastic: a price rise would raise revenue' : 'upward-sloping, which usually means prices moved with demand (promotions, volume discounts) rather than demand reacting to price';
  return (
    `Elasticity ${e.toFixed(2)} (${Math.round(confidence * 100)}% CI ${lo.toFixed(2)} to ${hi.toFixed(2)}), from ${n} observations at ${prices} distinct prices${where}: ` +
    `a 10% price rise goes with a ${percent(change(e))} ${direction} in units sold; ${verdict}; ${kind}. Observational estimate, not an experiment.`
  );
}

function insufficient(reason: string, observations: number, distinctPrices: number, products: number): ElasticityEstimate {
  return {
    status: 'insufficient-data', elasticity: null, standardError: null, confidenceInterval: null, pValue: null, significant: false,
    observations, distinctPrices, products, rSquared: null, explanation: `Not estimated: ${reason}.`,
  };
}

function guard(n: number, distinctPrices: number, logPrice: readonly number[], controls: number, products: number, options: ElasticityOptions): string | null {
  const minObservations = Math.max(options.minObservations ?? 8, products + controls + 2);
  if (n < minObservations) return `${n} usable observations (price and quantity > 0), need at least ${minObservations}`;
  if (distinctPrices < (options.minDistinctPrices ?? 3)) return `only ${distinctPrices} distinct price${distinctPrices === 1 ? '' : 's'}, need at least ${options.minDistinctPrices ?? 3}`;
  const range = Math.max(...logPrice) - Math.min(...logPrice);
  if (range < (options.minLogPriceRange ?? 0.05)) return `prices vary by only ${percent(Math.exp(range) - 1)}, too little to see a response`;
  return null;
}

function finish(b: number, se: number, df: number, r2: number, n: number, prices: number, products: number, options: ElasticityOptions): ElasticityEstimate {
  const confidence = options.confidence ?? 0.95;
  const t = studentTQuantile(1 - (1 - confidence) / 2, df);
  const p = se > 0 ? studentTTwoSidedP(b / se, df) : 0;
  const lo = b - t * se;
  const hi = b + t * se;
  return {
    status: 'estimated', elasticity: b, standardError: se, confidenceInterval: [lo, hi], pValue: p, significant: p < 1 - confidence,
    observations: n, distinctPrices: prices, products, rSquared: r2, explanation: describe(b, lo, hi, p, confidence, n, prices, products),
  };
}

/** ε for one product from its (price, quantity) history. */
export function estimatePriceElasticity(observations: readonly PriceObservation[], options: ElasticityOptions = {}): ElasticityEstimate {
  const d = prepare(observations);
  const n = d.y.length;
  const controls = d.controls[0]?.length ?? 0;
  const problem = guard(n, d.distinctPrices, d.logPrice, controls, 1, options);
  if (problem) return insufficient(problem, n, d.distinctPrices, 1);
  try {
    const fit = fitOls(d.logPrice.map((lp, i) => [1, lp, ...d.controls[i]!]), d.y, { hasIntercept: true });
    return finish(fit.coefficients[1]!, fit.standardErrors[1]!, fit.degreesOfFreedom, fit.rSquared, n, d.distinctPrices, 1, options);
  } catch (error) {
    return insufficient(`the regression is not identified (${(error as Error).message})`, n, d.distinctPrices, 1);
  }
}

/** Common ε for a category: products pooled with a product fixed effect (within estimator). */
export function estimatePooledElasticity(products: readonly (readonly PriceObservation[])[], options: ElasticityOptions = {}): ElasticityEstimate {
  const design: number[][] = [];
  const response: number[] = [];
  const allLogPrices: number[] = [];
  let distinct = 0;
  let used = 0;
  for (const observations of products) {
    const d = prepare(observations);
    // A product seen at one price only has no within variation: it adds nothing but noise.
    if (d.y.length < 2 || d.distinctPrices < 2) continue;
    used++;
    distinct += d.distinctPrices;
    const mean = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    const yBar = mean(d.y);
    const pBar = mean(d.logPrice);
    const cBar = (d.controls[0] ?? []).map((_, j) => mean(d.controls.map((c) => c[j]!)));
    for (let i = 0; i < d.y.length; i++) {
      response.push(d.y[i]! - yBar);
      design.push([d.logPrice[i]! - pBar, ...d.controls[i]!.map((c, j) => c - cBar[j]!)]);
      allLogPrices.push(d.logPrice[i]! - pBar);
    }
  }
  const controls = (design[0]?.length ?? 1) - 1;
  if (used === 0) return insufficient('no product was sold at two or more prices', 0, 0, 0);
  const problem = guard(response.length, distinct, allLogPrices, controls, used, options);
  if (problem) return insufficient(problem, response.length, distinct, used);
  try {
    const fit = fitOls(design, response, { absorbedDegreesOfFreedom: used });
    return finish(fit.coefficients[0]!, fit.standardErrors[0]!, fit.degreesOfFreedom, fit.rSquared, response.length, distinct, used, options);
  } catch (error) {
    return insufficient(`the regression is not identified (${(error as Error).message})`, response.length, distinct, used);
  }
}
