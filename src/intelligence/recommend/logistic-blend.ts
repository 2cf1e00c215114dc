/**
 * The blend of signals a recommendation is ranked by: a pointwise logistic regression over a few
 * named features of each (customer, candidate item) pair, P(buy | f) = σ(w₀ + Σ_k w_k f_k),
 * fitted by iteratively re-weighted least squares with a small ridge (Newton's method on the
 * penalised log-likelihood; Hastie, Tibshirani & Friedman, The Elements of Statistical Learning,
 * 2nd ed., §4.4.1, eq. 4.26–4.28). A linear blend keeps every recommendation explainable: the
 * contribution w_k·f_k of each signal ("you buy this every month", "bought with your items").
 */
import { Matrix, solve } from 'ml-matrix';

export interface LogisticBlend {
  features: string[];
  intercept: number;
  weights: number[];
}

export interface BlendFitOptions {
  /** Ridge on the weights (not the intercept); keeps IRLS stable when a feature is nearly constant. */
  l2?: number;
  maxIterations?: number;
}

/** Fits weights from feature rows and 0/1 outcomes. */
export function fitLogisticBlend(
  features: readonly string[], rows: readonly (readonly number[])[], bought: readonly (0 | 1)[], opts: BlendFitOptions = {},
): LogisticBlend {
  const l2 = opts.l2 ?? 1;
  const d = features.length + 1;
  const beta = new Array<number>(d).fill(0);
  const positives = bought.reduce<number>((s, y) => s + y, 0);
  if (positives === 0 || positives === bought.length) throw new Error('fitLogisticBlend needs both outcomes');
  beta[0] = Math.log(positives / (bought.length - positives));
  for (let iter = 0; iter < (opts.maxIterations ?? 25); iter++) {
    const h: number[][] = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    const g = new Array<number>(d).fill(0);
    const x = new Array<number>(d);
    rows.forEach((row, r) => {
      x[0] = 1;
      for (let k = 1; k < d; k++) x[k] = row[k - 1] as number;
      let z = 0;
      for (let k = 0; k < d; k++) z += (beta[k] as number) * (x[k] as number);
      const p = 1 / (1 + Math.exp(-z));
      const w = Math.max(p * (1 - p), 1e-10);
      const residual = (bought[r] as number) - p;
      for (let a = 0; a < d; a++) {
        g[a] = (g[a] as number) + residual * (x[a] as number);
        const ha = h[a] as number[];
        for (let b = 0; b <= a; b++) ha[b] = (ha[b] as number) + w * (x[a] as number) * (x[b] as number);
      }
    });
    for (let a = 0; a < d; a++) {
      const ha = h[a] as number[];
      for (let b = 0; b < a; b++) (h[b] as number[])[a] = ha[b] as number;
      if (a > 0) {
        ha[a] = (ha[a] as number) + l2;
        g[a] = (g[a] as number) - l2 * (beta[a] as number);
      }
    }
    const step = solve(new Matrix(h), Matrix.columnVector(g));
    let change = 0;
    for (let a = 0; a < d; a++) {
      const s = step.get(a, 0);
      beta[a] = (beta[a] as number) + s;
      change = Math.max(change, Math.abs(s));
    }
    if (change < 1e-8) break;
  }
  return { features: features.slice(), intercept: beta[0] as number, weights: beta.slice(1) };
}

/** The linear score w₀ + Σ w_k f_k (log-odds); ranking by it equals ranking by probability. */
export function blendScore(blend: LogisticBlend, row: readonly number[]): number {
  let z = blend.intercept;
  for (let k = 0; k < blend.weights.length; k++) z += (blend.weights[k] as number) * (row[k] as number);
  return z;
}

/** Each feature's contribution w_k·f_k, largest first: the "why" behind a recommendation. */
export function blendContributions(blend: LogisticBlend, row: readonly number[]): { feature: string; contribution: number }[] {
  return blend.features
    .map((feature, k) => ({ feature, contribution: (blend.weights[k] as number) * (row[k] as number) }))
    .sort((a, b) => b.contribution - a.contribution);
}
