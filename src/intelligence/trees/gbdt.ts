/**
 * Gradient-boosted decision trees for a binary outcome: Friedman (2001), Ann. Statist.
 * 29(5), Algorithm 5 (L2_TreeBoost, binomial deviance), with shrinkage ν (his §5,
 * "regularization") and the random row subsample per tree of Friedman (2002), "Stochastic
 * gradient boosting", Comput. Stat. Data Anal. 38(4). Start from the prior log-odds; each tree
 * fits the residuals y − p and moves F by ν × its Newton leaf value.
 *
 * Explanations: feature importance is each feature's summed split improvement, normalised
 * (the relative influence of Friedman 2001 §8.1, summed over trees); a single
 * prediction is split into per-feature contributions by following its path and crediting each
 * change of node value to the feature split on (Saabas' method, as in the "treeinterpreter"
 * package), so bias + Σ contributions = log-odds exactly.
 */
import { seededRandom } from '../random.js';
import { binRows, fitBins } from './binning.js';
import { fitRegressionTree, predictTree, treePath, type RegressionTree } from './regression-tree.js';

export interface GbdtOptions {
  trees?: number;
  /** Shrinkage ν. */
  learningRate?: number;
  maxDepth?: number;
  minSamplesLeaf?: number;
  /** Share of rows drawn (without replacement) for each tree; 1 = no subsampling. */
  subsample?: number;
  maxBins?: number;
  l2?: number;
  seed?: number;
  featureNames?: readonly string[];
}

export interface GbdtModel {
  /** Prior log-odds F₀. */
  baseScore: number;
  learningRate: number;
  trees: RegressionTree[];
  featureNames: string[];
  /** Normalised split improvement per feature (sums to 1 when any split was made). */
  featureImportances: number[];
}

export interface GbdtExplanation {
  logOdds: number;
  probability: number;
  /** F₀ plus ν × every root value: the prediction before any split is taken into account. */
  bias: number;
  /** Per feature, in log-odds; sorted by absolute size, largest first. */
  contributions: { feature: string; value: number; contribution: number }[];
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export function fitGradientBoostedTrees(rows: readonly (readonly number[])[], labels: ArrayLike<boolean | 0 | 1>, options: GbdtOptions = {}): GbdtModel {
  const n = rows.length;
  if (n === 0 || labels.length !== n) throw new RangeError('fitGradientBoostedTrees: need one label per row and at least one row');
  const dims = rows[0]!.length;
  const trees = options.trees ?? 200;
  const learningRate = options.learningRate ?? 0.05;
  const subsample = options.subsample ?? 0.8;
  const treeOptions = { maxDepth: options.maxDepth ?? 3, minSamplesLeaf: options.minSamplesLeaf ?? 20, l2: options.l2 ?? 1 };
  const random = seededRandom(options.seed ?? 1);

  const y = Float64Array.from({ length: n }, (_, i) => (labels[i] ? 1 : 0));
  const positives = y.reduce((s, v) => s + v, 0);
  // Clamp the prior so an all-one-class sample still has a finite start.
  const prior = Math.min(1 - 1e-6, Math.max(1e-6, positives / n));
  const baseScore = Math.log(prior / (1 - prior));

  const bins = fitBins(rows, options.maxBins ?? 64);
  const binned = binRows(bins, rows);
  const F = new Float64Array(n).fill(baseScore);
  const residuals = new Float64Array(n);
  const hessians = new Float64Array(n);
  const allRows = Uint32Array.from({ length: n }, (_, i) => i);
  const sampleSize = Math.max(1, Math.round(subsample * n));
  const importance = new Array<number>(dims).fill(0);
  const fitted: RegressionTree[] = [];

  for (let m = 0; m < trees; m++) {
    for (let i = 0; i < n; i++) {
      const p = sigmoid(F[i]!);
      residuals[i] = y[i]! - p;
      hessians[i] = p * (1 - p);
    }
    let sample = allRows;
    if (sampleSize < n) {
      // Partial Fisher–Yates: the first sampleSize slots become a uniform sample.
      sample = allRows.slice();
      for (let i = 0; i < sampleSize; i++) {
        const j = i + random.int(n - i);
        const t = sample[i]!;
        sample[i] = sample[j]!;
        sample[j] = t;
      }
      sample = sample.subarray(0, sampleSize);
    }
    const tree = fitRegressionTree(binned, bins.thresholds, residuals, hessians, sample, treeOptions);
    fitted.push(tree);
    for (const node of tree.nodes) if (node.feature >= 0) importance[node.feature]! += node.gain;
    for (let i = 0; i < n; i++) F[i]! += learningRate * predictTree(tree, rows[i]!);
  }
  const total = importance.reduce((s, v) => s + v, 0);
  return {
    baseScore,
    learningRate,
    trees: fitted,
    featureNames: options.featureNames ? [...options.featureNames] : Array.from({ length: dims }, (_, j) => `x${j}`),
    featureImportances: importance.map((v) => (total > 0 ? v / total : 0)),
  };
}

export function gbdtLogOdds(model: GbdtModel, row: readonly number[]): number {
  let f = model.baseScore;
  for (const tree of model.trees) f += model.learningRate * predictTree(tree, row);
  return f;
}

export function gbdtProbability(model: GbdtModel, row: readonly number[]): number {
  return sigmoid(gbdtLogOdds(model, row));
}

/** The model after its first `trees` trees, for choosing the number of trees on validation data. */
export function truncateGbdt(model: GbdtModel, trees: number): GbdtModel {
  return { ...model, trees: model.trees.slice(0, trees) };
}

export function explainGbdt(model: GbdtModel, row: readonly number[]): GbdtExplanation {
  let bias = model.baseScore;
  const contribution = new Array<number>(row.length).fill(0);
  for (const tree of model.trees) {
    const path = treePath(tree, row);
    bias += model.learningRate * tree.nodes[0]!.value;
    for (let k = 1; k < path.length; k++) {
      const parent = tree.nodes[path[k - 1]!]!;
      contribution[parent.feature]! += model.learningRate * (tree.nodes[path[k]!]!.value - parent.value);
    }
  }
  const logOdds = bias + contribution.reduce((s, v) => s + v, 0);
  return {
    logOdds,
    probability: sigmoid(logOdds),
    bias,
    contributions: contribution
      .map((c, j) => ({ feature: model.featureNames[j] ?? `x${j}`, value: row[j]!, contribution: c }))
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)),
  };
}
