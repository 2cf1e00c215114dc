/**
 * Multinomial logistic (softmax) regression with L2 penalty on sparse inputs, fitted by
 * stochastic gradient descent. Objective (Bishop 2006, PRML §4.3.4, eq. 4.108):
 *   (1/n) Σ_i −w_i log softmax(W x_i + b)_{y_i} + (λ/2) ‖W‖²   (bias unpenalised).
 * The L2 shrinkage is applied to every weight at every step through a shared scale factor,
 * W = s·V, so a step costs O(non-zeros × classes) rather than O(features × classes)
 * (Bottou 2012, "Stochastic Gradient Descent Tricks", §5.1). The step size decays linearly
 * to zero over the epochs, as in fastText (Joulin et al. 2017). Examples are visited in a
 * seeded shuffled order, so a fit is reproducible.
 *
 * With numClasses = 2 this is ordinary binary logistic regression (class 1 = positive).
 */
import { seededRandom } from '../random.js';
import type { SparseVector } from './sparse.js';
import type { LinearClassifier } from './linear-classifier.js';

export interface SoftmaxRegressionOptions {
  numClasses: number;
  numFeatures: number;
  /** λ, the L2 penalty per example. Default 1e-5. */
  l2?: number;
  epochs?: number;
  /** Initial step size. Default 0.5 (inputs are expected to be roughly unit-norm). */
  learningRate?: number;
  seed?: number;
  /** Weight of each example in the loss (e.g. to balance classes). Default 1. */
  sampleWeights?: ArrayLike<number>;
}

export function fitSoftmaxRegression(
  inputs: readonly SparseVector[],
  labels: ArrayLike<number>,
  options: SoftmaxRegressionOptions,
  onProgress?: (fraction: number) => void,
): LinearClassifier {
  const K = options.numClasses;
  const D = options.numFeatures;
  const lambda = options.l2 ?? 1e-5;
  const epochs = options.epochs ?? 15;
  const eta0 = options.learningRate ?? 0.5;
  const n = inputs.length;
  if (labels.length !== n) throw new Error(`fitSoftmaxRegression: ${n} inputs but ${labels.length} labels`);
  const random = seededRandom(options.seed ?? 1);

  const V = new Float64Array(D * K);
  const bias = new Float64Array(K);
  let scale = 1;
  const scores = new Float64Array(K);
  const totalSteps = Math.max(1, epochs * n);
  let step = 0;
  const order = Int32Array.from({ length: n }, (_, i) => i);

  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = random.int(i + 1);
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    for (let o = 0; o < n; o++) {
      const i = order[o] as number;
      const x = inputs[i] as SparseVector;
      const y = labels[i] as number;
      const weight = options.sampleWeights ? (options.sampleWeights[i] as number) : 1;
      const eta = eta0 * (1 - step / totalSteps);
      step++;

      for (let k = 0; k < K; k++) scores[k] = bias[k] as number;
      const { indices, values } = x;
      for (let m = 0; m < indices.length; m++) {
        const base = (indices[m] as number) * K;
        const v = (values[m] as number) * scale;
        for (let k = 0; k < K; k++) scores[k] = (scores[k] as number) + v * (V[base + k] as number);
      }
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, scores[k] as number);
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const e = Math.exp((scores[k] as number) - max);
        scores[k] = e;
        sum += e;
      }
      // scores now holds the gradient of the loss w.r.t. the logits: p_k − [k = y].
      for (let k = 0; k < K; k++) scores[k] = (scores[k] as number) / sum - (k === y ? 1 : 0);

      scale *= 1 - eta * lambda;
      const stepOverScale = (eta * weight) / scale;
      for (let m = 0; m < indices.length; m++) {
        const base = (indices[m] as number) * K;
        const v = (values[m] as number) * stepOverScale;
        for (let k = 0; k < K; k++) V[base + k] = (V[base + k] as number) - v * (scores[k] as number);
      }
      for (let k = 0; k < K; k++) bias[k] = (bias[k] as number) - eta * weight * (scores[k] as number);

      if (scale < 1e-9) {
        for (let q = 0; q < V.length; q++) V[q] = (V[q] as number) * scale;
        scale = 1;
      }
    }
    onProgress?.((epoch + 1) / epochs);
  }

  const weights = new Float32Array(D * K);
  for (let q = 0; q < V.length; q++) weights[q] = (V[q] as number) * scale;
  return { numClasses: K, numFeatures: D, weights, bias: Float32Array.from(bias) };
}
