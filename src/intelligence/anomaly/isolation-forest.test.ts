import { test, expect } from 'vitest';
import { averagePathLength, harmonicNumber } from './path-length.js';
import { featureMatrixFromRows } from './feature-matrix.js';
import { fitIsolationForest, isolationForestFromJson } from './isolation-forest.js';
import { isolatingFeatures, scoreIsolationForest, scoreIsolationForestRow } from './isolation-forest-score.js';
import { seededRandom } from '../random.js';

test('c(n) is the average unsuccessful-search path of a BST: c(2) = 1, c(3) = 5/3, c(4) = 13/6', () => {
  expect(averagePathLength(0)).toBe(0);
  expect(averagePathLength(1)).toBe(0);
  expect(averagePathLength(2)).toBeCloseTo(1, 12);
  expect(averagePathLength(3)).toBeCloseTo(2 * 1.5 - 4 / 3, 12);
  expect(averagePathLength(4)).toBeCloseTo(2 * (11 / 6) - 6 / 4, 12);
});

test('the asymptotic harmonic number joins the exact sum without a step', () => {
  let exact = 0;
  for (let k = 1; k <= 300; k++) {
    exact += 1 / k;
    if (k >= 60) expect(harmonicNumber(k)).toBeCloseTo(exact, 11);
  }
  // c(256) with the exact H(255) = 6.1204…, not the paper's rounded ln + γ estimate (10.2448).
  expect(averagePathLength(256)).toBeCloseTo(10.2487, 3);
});

function clusterWithOutlier(seed: number): number[][] {
  const random = seededRandom(seed);
  const rows = Array.from({ length: 300 }, () => [random.normal(), random.normal()]);
  rows.push([8, 0]);
  return rows;
}

test('an isolated point scores near 1 and points in the cluster below 0.5', () => {
  const rows = clusterWithOutlier(7);
  const data = featureMatrixFromRows(rows);
  const model = fitIsolationForest(data, { seed: 1 });
  const scores = scoreIsolationForest(model, data);
  expect(scores[300]).toBeGreaterThan(0.7);
  expect(scoreIsolationForestRow(model, [0, 0])).toBeLessThan(0.5);
  expect(Math.max(...scores.subarray(0, 300))).toBeLessThan(scores[300] as number);
});

test('with ψ = 2 every point sits one edge deep with c(1) = 0, so s = 2^(−1/c(2)) = 0.5', () => {
  const model = fitIsolationForest(featureMatrixFromRows([[0], [10]]), { seed: 3, treeCount: 5 });
  expect(model.heightLimit).toBe(1);
  expect(scoreIsolationForestRow(model, [4])).toBeCloseTo(0.5, 12);
});

test('identical rows: the paper splits down to l, then adds c(ψ); redraw stops at the root with s = 0.5', () => {
  const data = featureMatrixFromRows(Array.from({ length: 16 }, () => [1, 2]));
  const literal = fitIsolationForest(data, { seed: 1, treeCount: 3 });
  const c16 = averagePathLength(16);
  expect(literal.heightLimit).toBe(4);
  expect(scoreIsolationForestRow(literal, [1, 2])).toBeCloseTo(2 ** (-(4 + c16) / c16), 12);
  const redraw = fitIsolationForest(data, { seed: 1, treeCount: 3, constantAttribute: 'redraw' });
  expect(redraw.splitFeature).toEqual([-1, -1, -1]);
  expect(scoreIsolationForestRow(redraw, [1, 2])).toBeCloseTo(0.5, 12);
});

test('trees respect ψ and the height limit ceil(log2 ψ)', () => {
  const data = featureMatrixFromRows(clusterWithOutlier(2));
  const model = fitIsolationForest(data, { seed: 5, treeCount: 10, subsampleSize: 64 });
  expect(model.subsampleSize).toBe(64);
  expect(model.heightLimit).toBe(6);
  expect(model.splitFeature.length).toBeLessThanOrEqual(10 * (2 ** 7 - 1));
  const small = fitIsolationForest(featureMatrixFromRows([[1], [2], [3]]), { seed: 5 });
  expect(small.subsampleSize).toBe(3);
  expect(small.heightLimit).toBe(2);
});

test('the same seed gives the same model, and the model survives a JSON round trip', () => {
  const data = featureMatrixFromRows(clusterWithOutlier(4));
  const a = fitIsolationForest(data, { seed: 9, treeCount: 20 });
  const b = fitIsolationForest(data, { seed: 9, treeCount: 20 });
  const c = fitIsolationForest(data, { seed: 10, treeCount: 20 });
  expect(b).toEqual(a);
  expect(c).not.toEqual(a);
  const loaded = isolationForestFromJson(JSON.stringify(a));
  expect(Array.from(scoreIsolationForest(loaded, data))).toEqual(Array.from(scoreIsolationForest(a, data)));
  expect(() => isolationForestFromJson('{"kind":"other"}')).toThrow(TypeError);
});

test('the feature that sets a point apart is named as the one isolating it', () => {
  const rows = clusterWithOutlier(11);
  const model = fitIsolationForest(featureMatrixFromRows(rows), { seed: 2, featureNames: ['amount', 'items'] });
  const reasons = isolatingFeatures(model, [8, 0], 2);
  expect(reasons[0]?.name).toBe('amount');
  expect((reasons[0]?.share ?? 0) + (reasons[1]?.share ?? 0)).toBeCloseTo(1, 12);
});

test('training rejects missing values, scoring rejects rows of the wrong width', () => {
  expect(() => fitIsolationForest(featureMatrixFromRows([[1, 2], [3, NaN]]), { seed: 1 })).toThrow(/row 1/);
  const model = fitIsolationForest(featureMatrixFromRows([[1, 2], [3, 4]]), { seed: 1 });
  expect(() => scoreIsolationForestRow(model, [1])).toThrow(RangeError);
});
