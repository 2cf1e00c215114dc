import { describe, expect, test } from 'vitest';
import { binOf, binRows, fitBins } from './binning.js';
import { fitRegressionTree, predictTree } from './regression-tree.js';
import { explainGbdt, fitGradientBoostedTrees, gbdtProbability, truncateGbdt } from './gbdt.js';
import { rocAuc } from '../metrics/roc-auc.js';
import { seededRandom } from '../random.js';

describe('binning', () => {
  test('few distinct values: thresholds at midpoints, value ≤ threshold goes low', () => {
    const bins = fitBins([[1], [2], [3], [2]]);
    expect(bins.thresholds).toEqual([[1.5, 2.5]]);
    expect(binOf(bins.thresholds[0]!, 1.5)).toBe(0);
    expect(binOf(bins.thresholds[0]!, 2)).toBe(1);
    expect(binOf(bins.thresholds[0]!, 99)).toBe(2);
    expect(Array.from(binRows(bins, [[1], [3]])[0]!)).toEqual([0, 2]);
  });
  test('many distinct values are capped at maxBins', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [i]);
    expect(fitBins(rows, 4).thresholds[0]).toEqual([250, 500, 750]);
  });
});

describe('regression tree on pseudo-residuals', () => {
  test('one split by hand: Newton leaf values and least-squares improvement', () => {
    const rows = [[0], [1], [2], [3]];
    const bins = fitBins(rows);
    const tree = fitRegressionTree(binRows(bins, rows), bins.thresholds, Float64Array.from([-1, -1, 1, 1]),
      Float64Array.from([0.25, 0.25, 0.25, 0.25]), Uint32Array.from([0, 1, 2, 3]), { maxDepth: 1, minSamplesLeaf: 1, l2: 0 });
    expect(tree.nodes[0]).toMatchObject({ feature: 0, threshold: 1.5 });
    expect(tree.nodes[0]!.gain).toBeCloseTo(4, 9); // 2²/2 + 2²/2 − 0²/4
    expect(predictTree(tree, [0])).toBeCloseTo(-4, 9); // −2 / 0.5
    expect(predictTree(tree, [3])).toBeCloseTo(4, 9);
  });
});

describe('gradient-boosted trees (logistic loss)', () => {
  test('one stump with ν = 1 matches the hand-computed Newton step', () => {
    const model = fitGradientBoostedTrees([[0], [1], [2], [3]], [0, 0, 1, 1], { trees: 1, learningRate: 1, maxDepth: 1, minSamplesLeaf: 1, subsample: 1, l2: 0 });
    expect(model.baseScore).toBe(0);
    // residuals ±0.5, hessians 0.25 → leaf = ±1 / 0.5 = ±2
    expect(gbdtProbability(model, [3])).toBeCloseTo(1 / (1 + Math.exp(-2)), 9);
    expect(gbdtProbability(model, [0])).toBeCloseTo(1 / (1 + Math.exp(2)), 9);
  });
  test('learns an interaction, credits the informative features, explains exactly, is seeded', () => {
    const rows: number[][] = [];
    const labels: number[] = [];
    const random = seededRandom(11);
    for (let i = 0; i < 400; i++) {
      const a = random.int(100);
      const b = random.int(100);
      const noise = random.int(100);
      rows.push([a, b, noise]);
      labels.push((a > 50) !== (b > 50) ? 1 : 0); // XOR: needs depth 2
    }
    const opts = { trees: 60, learningRate: 0.2, maxDepth: 2, minSamplesLeaf: 5, subsample: 0.7, seed: 3, featureNames: ['a', 'b', 'noise'] };
    const model = fitGradientBoostedTrees(rows, labels as (0 | 1)[], opts);
    expect(rocAuc(rows.map((r) => gbdtProbability(model, r)), labels as (0 | 1)[])).toBeGreaterThan(0.97);
    expect(model.featureImportances[2]!).toBeLessThan(0.1);
    expect(model.featureImportances.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    const e = explainGbdt(model, rows[0]!);
    expect(e.bias + e.contributions.reduce((s, c) => s + c.contribution, 0)).toBeCloseTo(e.logOdds, 9);
    expect(e.probability).toBeCloseTo(gbdtProbability(model, rows[0]!), 12);
    expect(fitGradientBoostedTrees(rows, labels as (0 | 1)[], opts)).toEqual(model);
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
    expect(truncateGbdt(model, 10).trees).toHaveLength(10);
  });
});
