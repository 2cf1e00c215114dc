/**
 * Isolation Forest, Liu, Ting & Zhou (2008), "Isolation Forest", ICDM, pp. 413–422.
 * Training is Algorithms 1 and 2: t trees, each grown on a subsample of ψ rows drawn without
 * replacement, to the height limit l = ceil(log2 ψ), splitting on a random attribute at a
 * uniform random point between its minimum and maximum. Defaults are the paper's t = 100 and
 * ψ = 256 (Section 3.2). Scoring (eq. 2, Algorithm 3) is in isolation-forest-score.ts.
 *
 * The fitted model is plain JSON-safe data: all trees flattened into parallel arrays, children
 * of a node stored next to each other so only the left index is kept. A leaf stores its full
 * path-length contribution e + c(Size) (Algorithm 3, line 2), computed once at fit time, so
 * scoring is a bare array walk.
 */
import { seededRandom, type Random } from '../random.js';
import type { FeatureMatrix } from './feature-matrix.js';
import { averagePathLength } from './path-length.js';

export interface IsolationForestOptions {
  /** Seed for subsampling and splits; the same seed and data give the same model. */
  seed: number;
  /** t, number of trees (paper: 100). */
  treeCount?: number;
  /** ψ, rows per tree (paper: 256); capped at the number of rows. */
  subsampleSize?: number;
  /** Names of the columns, kept in the model for explanations. */
  featureNames?: readonly string[];
  /**
   * What a node does when the drawn attribute is constant in it. 'split' (default) is the
   * paper's Algorithm 2 read literally: p = min = max sends every row right and the row goes one
   * level deeper. 'redraw' (scikit-learn's choice) draws again among varying attributes and
   * makes the node external when none varies; it suits data with many constant columns.
   */
  constantAttribute?: 'split' | 'redraw';
}

export interface IsolationForestModel {
  kind: 'isolation-forest';
  version: 1;
  featureCount: number;
  featureNames: string[] | null;
  treeCount: number;
  /** ψ actually used (≤ requested when the data are smaller). */
  subsampleSize: number;
  /** l = ceil(log2 ψ). */
  heightLimit: number;
  /** c(ψ), the normaliser of the anomaly score. */
  normaliser: number;
  /** Index of each tree's root in the node arrays. */
  treeRoots: number[];
  /** Split attribute q of an internal node; −1 marks an external node (leaf). */
  splitFeature: number[];
  /** Split value p of an internal node, or the path length e + c(Size) of a leaf. */
  thresholdOrPathLength: number[];
  /** Index of the left child (x_q < p); the right child is the next node. −1 for leaves. */
  leftChild: number[];
}

export const ISOLATION_FOREST_DEFAULTS = { treeCount: 100, subsampleSize: 256 } as const;

export function fitIsolationForest(data: FeatureMatrix, options: IsolationForestOptions): IsolationForestModel {
  const treeCount = options.treeCount ?? ISOLATION_FOREST_DEFAULTS.treeCount;
  const requested = options.subsampleSize ?? ISOLATION_FOREST_DEFAULTS.subsampleSize;
  if (data.rowCount < 2) throw new RangeError('fitIsolationForest needs at least 2 rows');
  if (treeCount < 1 || requested < 2) throw new RangeError('fitIsolationForest needs treeCount ≥ 1 and subsampleSize ≥ 2');
  if (options.featureNames && options.featureNames.length !== data.columnCount) {
    throw new RangeError(`${options.featureNames.length} feature names for ${data.columnCount} columns`);
  }
  // Split points are drawn between min and max, which NaN or ±∞ would poison; impute first.
  const bad = data.values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new RangeError(`row ${Math.floor(bad / data.columnCount)} has a missing or infinite value`);
  const subsampleSize = Math.min(requested, data.rowCount);
  const heightLimit = Math.ceil(Math.log2(subsampleSize));
  const random = seededRandom(options.seed);
  const redrawConstant = options.constantAttribute === 'redraw';
  const forest: ForestArrays = { splitFeature: [], thresholdOrPathLength: [], leftChild: [] };
  const treeRoots: number[] = [];
  for (let t = 0; t < treeCount; t++) {
    const rows = Int32Array.from(sampleWithoutReplacement(data.rowCount, subsampleSize, random));
    treeRoots.push(allocateNodes(forest, 1));
    growTree(data, rows, random, heightLimit, redrawConstant, forest, treeRoots[t] as number);
  }
  return {
    kind: 'isolation-forest',
    version: 1,
    featureCount: data.columnCount,
    featureNames: options.featureNames ? [...options.featureNames] : null,
    treeCount,
    subsampleSize,
    heightLimit,
    normaliser: averagePathLength(subsampleSize),
    treeRoots,
    ...forest,
  };
}

/** Load a model from its JSON text, checking the shape so a corrupt file fails loudly. */
export function isolationForestFromJson(json: string): IsolationForestModel {
  const model = JSON.parse(json) as IsolationForestModel;
  const nodes = model.splitFeature?.length;
  if (model.kind !== 'isolation-forest' || model.version !== 1 || !Array.isArray(model.treeRoots) ||
      model.thresholdOrPathLength?.length !== nodes || model.leftChild?.length !== nodes ||
      model.treeRoots.length !== model.treeCount) {
    throw new TypeError('not an isolation-forest model (version 1)');
  }
  return model;
}

interface ForestArrays {
  splitFeature: number[];
  thresholdOrPathLength: number[];
  leftChild: number[];
}

function allocateNodes(forest: ForestArrays, count: number): number {
  const first = forest.splitFeature.length;
  for (let i = 0; i < count; i++) {
    forest.splitFeature.push(-1);
    forest.thresholdOrPathLength.push(0);
    forest.leftChild.push(-1);
  }
  return first;
}

/** Robert Floyd's algorithm: k distinct integers from [0, n) in O(k), without an n-sized array. */
function sampleWithoutReplacement(n: number, k: number, random: Random): number[] {
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const candidate = random.int(j + 1);
    chosen.add(chosen.has(candidate) ? j : candidate);
  }
  return [...chosen];
}

/**
 * Algorithm 2, iTree(X, e, l), on rows[lo, hi) partitioned in place: X_l = {x_q < p},
 * X_r = {x_q ≥ p}. With redrawConstant, q is drawn uniformly among the attributes that vary
 * in the node and a node where none varies is external, like |X| ≤ 1.
 */
function growTree(data: FeatureMatrix, rows: Int32Array, random: Random, heightLimit: number, redrawConstant: boolean, forest: ForestArrays, root: number): void {
  const { values, columnCount } = data;
  const candidates: number[] = [];
  const grow = (node: number, lo: number, hi: number, depth: number): void => {
    const size = hi - lo;
    if (depth >= heightLimit || size <= 1) {
      forest.thresholdOrPathLength[node] = depth + averagePathLength(size);
      return;
    }
    candidates.length = 0;
    for (let f = 0; f < columnCount; f++) candidates.push(f);
    let feature = -1;
    let min = 0;
    let max = 0;
    while (candidates.length > 0) {
      const pick = random.int(candidates.length);
      const f = candidates[pick] as number;
      min = Infinity;
      max = -Infinity;
      for (let i = lo; i < hi; i++) {
        const v = values[(rows[i] as number) * columnCount + f] as number;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max > min || !redrawConstant) {
        feature = f;
        break;
      }
      candidates[pick] = candidates[candidates.length - 1] as number;
      candidates.pop();
    }
    if (feature < 0) {
      forest.thresholdOrPathLength[node] = depth + averagePathLength(size);
      return;
    }
    const threshold = min + random.next() * (max - min);
    let mid = lo;
    for (let i = lo; i < hi; i++) {
      const row = rows[i] as number;
      if ((values[row * columnCount + feature] as number) < threshold) {
        rows[i] = rows[mid] as number;
        rows[mid] = row;
        mid++;
      }
    }
    const left = allocateNodes(forest, 2);
    forest.splitFeature[node] = feature;
    forest.thresholdOrPathLength[node] = threshold;
    forest.leftChild[node] = left;
    grow(left, lo, mid, depth + 1);
    grow(left + 1, mid, hi, depth + 1);
  };
  grow(root, 0, rows.length, 0);
}
