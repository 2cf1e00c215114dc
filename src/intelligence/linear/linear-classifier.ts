/**
 * A fitted linear classifier over sparse features: one weight per (feature, class) plus a
 * bias per class, score_k(x) = b_k + Σ_j x_j w_jk. Shared by multinomial logistic regression
 * and the one-vs-rest linear SVM, so callers (intent, sentiment, propensity) score, explain
 * and serialise every linear model the same way.
 *
 * Weights are feature-major (`weights[j * numClasses + k]`) because a sparse input touches a
 * few features and needs all classes of each: one contiguous run per non-zero.
 */
import type { SparseVector } from './sparse.js';

export interface LinearClassifier {
  numClasses: number;
  numFeatures: number;
  weights: Float32Array;
  bias: Float32Array;
}

/** Class scores (logits for logistic regression, margins for the SVM). */
export function linearScores(model: LinearClassifier, x: SparseVector, out = new Float64Array(model.numClasses)): Float64Array {
  const K = model.numClasses;
  for (let k = 0; k < K; k++) out[k] = model.bias[k] as number;
  const { indices, values } = x;
  for (let n = 0; n < indices.length; n++) {
    const j = indices[n] as number;
    if (j >= model.numFeatures) continue;
    const v = values[n] as number;
    const base = j * K;
    for (let k = 0; k < K; k++) out[k] = (out[k] as number) + v * (model.weights[base + k] as number);
  }
  return out;
}

/** Softmax of scores divided by a temperature (1 = the model's own probabilities). */
export function softmax(scores: ArrayLike<number>, temperature = 1): Float64Array {
  const out = new Float64Array(scores.length);
  let max = -Infinity;
  for (let k = 0; k < scores.length; k++) max = Math.max(max, (scores[k] as number) / temperature);
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    const e = Math.exp((scores[k] as number) / temperature - max);
    out[k] = e;
    sum += e;
  }
  for (let k = 0; k < scores.length; k++) out[k] = (out[k] as number) / sum;
  return out;
}

/** Index of the largest score. */
export function argmax(scores: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < scores.length; k++) if ((scores[k] as number) > (scores[best] as number)) best = k;
  return best;
}

export interface FeatureContribution {
  feature: number;
  /** x_j · w_jk: how much this feature pushed the class score up (or down, if negative). */
  contribution: number;
}

/** The features that moved class `k`'s score most, largest absolute contribution first. */
export function featureContributions(model: LinearClassifier, x: SparseVector, k: number, top = 5): FeatureContribution[] {
  const out: FeatureContribution[] = [];
  for (let n = 0; n < x.indices.length; n++) {
    const j = x.indices[n] as number;
    if (j >= model.numFeatures) continue;
    out.push({ feature: j, contribution: (x.values[n] as number) * (model.weights[j * model.numClasses + k] as number) });
  }
  return out.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)).slice(0, top);
}
