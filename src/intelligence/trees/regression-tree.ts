/**
 * A depth-limited regression tree fitted to gradient-boosting pseudo-residuals, as in
 * Friedman (2001), "Greedy function approximation: a gradient boosting machine", Ann.
 * Statist. 29(5): splits maximise Friedman's least-squares improvement criterion
 *   i² = (w_l w_r / (w_l + w_r)) (ȳ_l − ȳ_r)²  ≡  S_l²/n_l + S_r²/n_r − S²/n
 * (scikit-learn's "friedman_mse"), and each node's value is one Newton step on the loss,
 * γ = Σ r / (Σ h + λ) — Algorithm 5 (L2_TreeBoost) for the binomial deviance, written for
 * labels in {0, 1}; λ is an optional ridge as in Chen & Guestrin (2016), KDD, eq. (5).
 * Splits are searched over histogram bins (see binning.ts).
 *
 * Internal nodes keep their value too, so a prediction can be split into per-feature
 * contributions along its path (Saabas' method; see gbdt.ts).
 */
export interface TreeNode {
  /** −1 for a leaf. */
  feature: number;
  /** Go left when value ≤ threshold. */
  threshold: number;
  left: number;
  right: number;
  /** Newton step for the rows that reached this node. */
  value: number;
  /** Least-squares improvement of this node's split (0 for a leaf). */
  gain: number;
  rows: number;
}

export interface RegressionTree {
  nodes: TreeNode[];
}

export interface TreeOptions {
  maxDepth: number;
  minSamplesLeaf: number;
  /** Ridge on the Newton step's denominator. */
  l2: number;
}

export function fitRegressionTree(
  binned: readonly Uint16Array[],
  thresholds: readonly (readonly number[])[],
  residuals: Float64Array,
  hessians: Float64Array,
  rowIndices: Uint32Array,
  options: TreeOptions,
): RegressionTree {
  const nodes: TreeNode[] = [];
  const build = (rows: Uint32Array, depth: number): number => {
    let sumR = 0;
    let sumH = 0;
    for (const i of rows) {
      sumR += residuals[i]!;
      sumH += hessians[i]!;
    }
    const id = nodes.length;
    nodes.push({ feature: -1, threshold: 0, left: -1, right: -1, value: sumR / (sumH + options.l2 + 1e-12), gain: 0, rows: rows.length });
    if (depth >= options.maxDepth || rows.length < 2 * options.minSamplesLeaf) return id;

    const n = rows.length;
    const parentScore = (sumR * sumR) / n;
    let best = { gain: 1e-12, feature: -1, bin: -1 };
    for (let j = 0; j < binned.length; j++) {
      const nBins = thresholds[j]!.length + 1;
      if (nBins < 2) continue;
      const column = binned[j]!;
      const histR = new Float64Array(nBins);
      const histN = new Uint32Array(nBins);
      for (const i of rows) {
        const b = column[i]!;
        histR[b]! += residuals[i]!;
        histN[b]!++;
      }
      let leftR = 0;
      let leftN = 0;
      for (let b = 0; b < nBins - 1; b++) {
        leftR += histR[b]!;
        leftN += histN[b]!;
        const rightN = n - leftN;
        if (leftN < options.minSamplesLeaf) continue;
        if (rightN < options.minSamplesLeaf) break;
        const rightR = sumR - leftR;
        const gain = (leftR * leftR) / leftN + (rightR * rightR) / rightN - parentScore;
        if (gain > best.gain) best = { gain, feature: j, bin: b };
      }
    }
    if (best.feature < 0) return id;

    const column = binned[best.feature]!;
    let leftCount = 0;
    for (const i of rows) if (column[i]! <= best.bin) leftCount++;
    const leftRows = new Uint32Array(leftCount);
    const rightRows = new Uint32Array(n - leftCount);
    let l = 0;
    let r = 0;
    for (const i of rows) {
      if (column[i]! <= best.bin) leftRows[l++] = i;
      else rightRows[r++] = i;
    }
    const node = nodes[id]!;
    node.feature = best.feature;
    node.threshold = thresholds[best.feature]![best.bin]!;
    node.gain = best.gain;
    node.left = build(leftRows, depth + 1);
    node.right = build(rightRows, depth + 1);
    return id;
  };
  build(rowIndices, 0);
  return { nodes };
}

/** Node indices from the root to the leaf that `row` falls in. */
export function treePath(tree: RegressionTree, row: readonly number[]): number[] {
  const path = [0];
  let node = tree.nodes[0]!;
  while (node.feature >= 0) {
    const next = row[node.feature]! <= node.threshold ? node.left : node.right;
    path.push(next);
    node = tree.nodes[next]!;
  }
  return path;
}

export function predictTree(tree: RegressionTree, row: readonly number[]): number {
  let node = tree.nodes[0]!;
  while (node.feature >= 0) node = tree.nodes[row[node.feature]! <= node.threshold ? node.left : node.right]!;
  return node.value;
}
