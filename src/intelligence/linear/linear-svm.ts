/**
 * One-vs-rest linear support vector machine with the squared hinge (L2) loss, fitted by dual
 * coordinate descent: Hsieh, Chang, Lin, Keerthi & Sundararajan (2008), "A Dual Coordinate
 * Descent Method for Large-scale Linear SVM", ICML, Algorithm 1 with U = ∞ and D_ii = 1/(2C)
 * (the LIBLINEAR default solver). Each class k gets its own binary problem
 *   min_w ½‖w‖² + C Σ_i max(0, 1 − y_i w·x_i)²,  y_i = +1 if label_i = k else −1,
 * with the bias learned as the weight of a constant feature `biasFeature` (LIBLINEAR's -B).
 * Scores are margins, not probabilities; temperature-scale them (see temperature-scaling.ts)
 * when a probability is needed.
 */
import { seededRandom } from '../random.js';
import type { SparseVector } from './sparse.js';
import type { LinearClassifier } from './linear-classifier.js';

export interface LinearSvmOptions {
  numClasses: number;
  numFeatures: number;
  /** C, the cost of a margin violation. Default 1. */
  c?: number;
  /** Value of the constant feature whose weight is the bias. Default 1. */
  biasFeature?: number;
  maxEpochs?: number;
  /** Stop when the projected-gradient spread falls below this (Hsieh et al. §3.1). Default 0.1. */
  tolerance?: number;
  seed?: number;
}

export function fitLinearSvm(
  inputs: readonly SparseVector[],
  labels: ArrayLike<number>,
  options: LinearSvmOptions,
  onProgress?: (fraction: number) => void,
): LinearClassifier {
  const K = options.numClasses;
  const D = options.numFeatures;
  const n = inputs.length;
  if (labels.length !== n) throw new Error(`fitLinearSvm: ${n} inputs but ${labels.length} labels`);
  const C = options.c ?? 1;
  const B = options.biasFeature ?? 1;
  const maxEpochs = options.maxEpochs ?? 50;
  const tolerance = options.tolerance ?? 0.1;
  const random = seededRandom(options.seed ?? 1);
  const diag = 1 / (2 * C);

  const squaredNorms = new Float64Array(n);
  inputs.forEach((x, i) => {
    let s = B * B;
    for (let m = 0; m < x.values.length; m++) s += (x.values[m] as number) ** 2;
    squaredNorms[i] = s + diag;
  });

  const weights = new Float32Array(D * K);
  const bias = new Float32Array(K);
  const w = new Float64Array(D);
  const alpha = new Float64Array(n);
  const order = Int32Array.from({ length: n }, (_, i) => i);

  for (let k = 0; k < K; k++) {
    w.fill(0);
    alpha.fill(0);
    let wBias = 0;
    for (let epoch = 0; epoch < maxEpochs; epoch++) {
      for (let i = n - 1; i > 0; i--) {
        const j = random.int(i + 1);
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
      }
      let maxPg = -Infinity;
      let minPg = Infinity;
      for (let o = 0; o < n; o++) {
        const i = order[o] as number;
        const x = inputs[i] as SparseVector;
        const y = labels[i] === k ? 1 : -1;
        let margin = wBias * B;
        for (let m = 0; m < x.indices.length; m++) margin += (x.values[m] as number) * (w[x.indices[m] as number] as number);
        const a = alpha[i] as number;
        const gradient = y * margin - 1 + diag * a;
        // Projected gradient: at the bound α = 0 only a negative gradient can move α.
        const projected = a === 0 ? Math.min(gradient, 0) : gradient;
        maxPg = Math.max(maxPg, projected);
        minPg = Math.min(minPg, projected);
        if (projected === 0) continue;
        const next = Math.max(a - gradient / (squaredNorms[i] as number), 0);
        const delta = (next - a) * y;
        alpha[i] = next;
        for (let m = 0; m < x.indices.length; m++) {
          const j = x.indices[m] as number;
          w[j] = (w[j] as number) + delta * (x.values[m] as number);
        }
        wBias += delta * B;
      }
      if (maxPg - minPg < tolerance) break;
    }
    for (let j = 0; j < D; j++) weights[j * K + k] = w[j] as number;
    bias[k] = wBias * B;
    onProgress?.((k + 1) / K);
  }
  return { numClasses: K, numFeatures: D, weights, bias };
}
