/**
 * Ordinary least squares with classical standard errors: b = (X'X)⁻¹X'y, s² = e'e / (n − K),
 * Var(b) = s²(X'X)⁻¹ (Greene, "Econometric Analysis", 7th ed. 2012, ch. 3 and §4.3–4.5).
 * `absorbedDegreesOfFreedom` lets a caller that has already removed group means (the
 * fixed-effects "within" transformation) charge those means to the residual degrees of freedom.
 */
import { Matrix, inverse } from 'ml-matrix';

export interface OlsFit {
  coefficients: number[];
  standardErrors: number[];
  /** s², the residual variance. */
  residualVariance: number;
  degreesOfFreedom: number;
  /** 1 − SSR / SST, with SST about the mean of y (or about 0 when there is no intercept). */
  rSquared: number;
  observations: number;
}

export function fitOls(design: readonly (readonly number[])[], response: readonly number[], options: { hasIntercept?: boolean; absorbedDegreesOfFreedom?: number } = {}): OlsFit {
  const n = design.length;
  const k = design[0]?.length ?? 0;
  const df = n - k - (options.absorbedDegreesOfFreedom ?? 0);
  if (response.length !== n) throw new RangeError('fitOls: one response per row');
  if (df <= 0) throw new RangeError(`fitOls: ${n} observations cannot identify ${k} coefficients`);
  const X = new Matrix(design.map((r) => [...r]));
  const Xt = X.transpose();
  let xtxInverse: Matrix;
  try {
    xtxInverse = inverse(Xt.mmul(X));
  } catch {
    throw new RangeError('fitOls: the design is singular');
  }
  const b = xtxInverse.mmul(Xt.mmul(Matrix.columnVector([...response]))).to1DArray();
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    let fitted = 0;
    for (let j = 0; j < k; j++) fitted += design[i]![j]! * b[j]!;
    ssr += (response[i]! - fitted) ** 2;
  }
  const centre = options.hasIntercept ? response.reduce((s, v) => s + v, 0) / n : 0;
  const sst = response.reduce((s, v) => s + (v - centre) ** 2, 0);
  const s2 = ssr / df;
  const standardErrors = b.map((_, j) => Math.sqrt(Math.max(0, s2 * xtxInverse.get(j, j))));
  if (standardErrors.some((se) => !Number.isFinite(se))) throw new RangeError('fitOls: the design is singular');
  return { coefficients: b, standardErrors, residualVariance: s2, degreesOfFreedom: df, rSquared: sst > 0 ? 1 - ssr / sst : 0, observations: n };
}
