/**
 * Dense binary logistic regression with an unpenalised intercept and an L2 (ridge) penalty,
 * fitted by Newton–Raphson / iteratively reweighted least squares: Hastie, Tibshirani &
 * Friedman, "The Elements of Statistical Learning" (2nd ed. 2009), §4.4.1, eqs. (4.23)–(4.26),
 * with λβ added to the gradient and λI to the Hessian (§4.4.4). The objective is strictly
 * convex, so Newton converges in a handful of steps to the exact optimum — unlike SGD, no
 * learning-rate schedule to tune and the same answer every time.
 *
 * Features are standardised inside the fit (so λ means the same for every feature, and a
 * coefficient is "log-odds per standard deviation"); `explainLogistic` reports each
 * feature's contribution relative to the training average. (The sparse softmax in
 * intelligence/linear is SGD for text; this is the small dense exact one.)
 */
import { Matrix, solve } from 'ml-matrix';

export interface LogisticOptions {
  /** λ on the standardised coefficients (the intercept is not penalised). Default 1. */
  l2?: number;
  maxIterations?: number;
  /** Stop when the largest Newton step is below this. */
  tolerance?: number;
  featureNames?: readonly string[];
}

export interface LogisticModel {
  intercept: number;
  /** Log-odds per standard deviation of each feature. */
  coefficients: number[];
  featureMeans: number[];
  featureScales: number[];
  featureNames: string[];
  iterations: number;
  converged: boolean;
}

export interface LogisticExplanation {
  logOdds: number;
  probability: number;
  /** Log-odds of a customer with every feature at its training average. */
  baseline: number;
  /** Sorted by absolute size, largest first. */
  contributions: { feature: string; value: number; contribution: number }[];
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export function fitLogisticRegression(rows: readonly (readonly number[])[], labels: ArrayLike<boolean | 0 | 1>, options: LogisticOptions = {}): LogisticModel {
  const n = rows.length;
  if (n === 0 || labels.length !== n) throw new RangeError('fitLogisticRegression: need one label per row and at least one row');
  const d = rows[0]!.length;
  const lambda = options.l2 ?? 1;
  const means = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / n);
  // A constant column gets scale 1 (and a zero coefficient by the penalty) instead of NaN.
  const scales = means.map((m, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j]! - m) ** 2, 0) / n) || 1);
  const z = rows.map((r) => [1, ...r.map((v, j) => (v - means[j]!) / scales[j]!)]);
  const y = Float64Array.from({ length: n }, (_, i) => (labels[i] ? 1 : 0));
  const beta = new Array<number>(d + 1).fill(0);
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-9;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    const gradient = new Array<number>(d + 1).fill(0);
    const hessian = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const x = z[i]!;
      let eta = 0;
      for (let j = 0; j <= d; j++) eta += beta[j]! * x[j]!;
      const p = sigmoid(eta);
      const w = Math.max(p * (1 - p), 1e-12);
      const r = y[i]! - p;
      for (let j = 0; j <= d; j++) {
        gradient[j]! += r * x[j]!;
        const hj = hessian[j]!;
        for (let k = 0; k <= j; k++) hj[k]! += w * x[j]! * x[k]!;
      }
    }
    for (let j = 1; j <= d; j++) {
      gradient[j]! -= lambda * beta[j]!;
      hessian[j]![j]! += lambda;
    }
    for (let j = 0; j <= d; j++) for (let k = j + 1; k <= d; k++) hessian[j]![k] = hessian[k]![j]!;
    const step = solve(new Matrix(hessian), Matrix.columnVector(gradient)).to1DArray();
    let largest = 0;
    for (let j = 0; j <= d; j++) {
      beta[j]! += step[j]!;
      largest = Math.max(largest, Math.abs(step[j]!));
    }
    converged = largest < tolerance;
  }
  return {
    intercept: beta[0]!,
    coefficients: beta.slice(1),
    featureMeans: means,
    featureScales: scales,
    featureNames: options.featureNames ? [...options.featureNames] : Array.from({ length: d }, (_, j) => `x${j}`),
    iterations,
    converged,
  };
}

export function logisticLogOdds(model: LogisticModel, row: readonly number[]): number {
  let eta = model.intercept;
  for (let j = 0; j < model.coefficients.length; j++) eta += (model.coefficients[j]! * (row[j]! - model.featureMeans[j]!)) / model.featureScales[j]!;
  return eta;
}

export function logisticProbability(model: LogisticModel, row: readonly number[]): number {
  return sigmoid(logisticLogOdds(model, row));
}

export function explainLogistic(model: LogisticModel, row: readonly number[]): LogisticExplanation {
  const contributions = model.coefficients.map((b, j) => ({
    feature: model.featureNames[j] ?? `x${j}`,
    value: row[j]!,
    contribution: (b * (row[j]! - model.featureMeans[j]!)) / model.featureScales[j]!,
  }));
  const logOdds = model.intercept + contributions.reduce((s, c) => s + c.contribution, 0);
  return {
    logOdds,
    probability: sigmoid(logOdds),
    baseline: model.intercept,
    contributions: contributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)),
  };
}
