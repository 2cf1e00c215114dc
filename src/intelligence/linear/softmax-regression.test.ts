import { test, expect } from 'vitest';
import { fitSoftmaxRegression } from './softmax-regression.js';
import { linearScores, softmax, argmax, featureContributions } from './linear-classifier.js';
import { sparseFromDense, sparseDot, sparseFromMap } from './sparse.js';

// Three classes, each signalled by its own feature; feature 3 is noise present everywhere.
const rows = [
  [1, 0, 0, 1], [0.9, 0.1, 0, 1], [0, 1, 0, 1], [0.1, 0.9, 0, 1], [0, 0, 1, 1], [0, 0.1, 0.9, 1],
];
const labels = [0, 0, 1, 1, 2, 2];
const inputs = rows.map(sparseFromDense);

test('separates classes signalled by distinct features and explains with them', () => {
  const model = fitSoftmaxRegression(inputs, labels, { numClasses: 3, numFeatures: 4, epochs: 200, learningRate: 0.5, seed: 3 });
  inputs.forEach((x, i) => expect(argmax(linearScores(model, x))).toBe(labels[i]));
  const p = softmax(linearScores(model, sparseFromDense([0, 0, 1, 1])));
  expect(p[2]).toBeGreaterThan(0.8);
  expect(featureContributions(model, sparseFromDense([0, 0, 1, 1]), 2, 1)[0]?.feature).toBe(2);
});

test('is reproducible for a seed', () => {
  const a = fitSoftmaxRegression(inputs, labels, { numClasses: 3, numFeatures: 4, epochs: 5, seed: 9 });
  const b = fitSoftmaxRegression(inputs, labels, { numClasses: 3, numFeatures: 4, epochs: 5, seed: 9 });
  expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
});

test('a strong L2 penalty shrinks weights toward zero', () => {
  const loose = fitSoftmaxRegression(inputs, labels, { numClasses: 3, numFeatures: 4, epochs: 50, l2: 1e-6 });
  const tight = fitSoftmaxRegression(inputs, labels, { numClasses: 3, numFeatures: 4, epochs: 50, l2: 0.5 });
  const norm = (w: Float32Array) => Math.hypot(...w);
  expect(norm(tight.weights)).toBeLessThan(norm(loose.weights) / 3);
});

test('binary logistic regression recovers a probability near the empirical rate', () => {
  // One constant feature, 3 positives in 4: the fitted P(class 1) tends to 0.75.
  const x = [sparseFromDense([1]), sparseFromDense([1]), sparseFromDense([1]), sparseFromDense([1])];
  const model = fitSoftmaxRegression(x, [1, 1, 1, 0], { numClasses: 2, numFeatures: 1, epochs: 400, learningRate: 0.1, l2: 0 });
  expect(softmax(linearScores(model, sparseFromDense([1])))[1]).toBeCloseTo(0.75, 1);
});

test('softmax is shift-invariant and flattens with temperature', () => {
  expect(Array.from(softmax([1, 2, 3]))).toEqual(Array.from(softmax([101, 102, 103])).map((v) => expect.closeTo(v, 12)));
  expect(softmax([0, 2], 4)[1]).toBeLessThan(softmax([0, 2])[1] as number);
  expect(softmax([0, Math.log(3)])[1]).toBeCloseTo(0.75, 12);
});

test('sparse vectors: sorted indices, zeros dropped, dot by merge', () => {
  const a = sparseFromMap(new Map([[5, 2], [1, 3], [2, 0]]));
  expect(Array.from(a.indices)).toEqual([1, 5]);
  expect(sparseDot(a, sparseFromDense([0, 1, 0, 0, 0, 4]))).toBe(11);
});
