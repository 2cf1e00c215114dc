import { test, expect } from 'vitest';
import { fitLinearSvm } from './linear-svm.js';
import { linearScores, argmax } from './linear-classifier.js';
import { sparseFromDense } from './sparse.js';

test('one-vs-rest SVM separates three classes on their own features', () => {
  const rows = [[1, 0, 0], [0.8, 0.2, 0], [0, 1, 0], [0.2, 0.8, 0], [0, 0, 1], [0, 0.2, 0.8]];
  const labels = [0, 0, 1, 1, 2, 2];
  const model = fitLinearSvm(rows.map(sparseFromDense), labels, { numClasses: 3, numFeatures: 3, c: 10 });
  rows.forEach((r, i) => expect(argmax(linearScores(model, sparseFromDense(r)))).toBe(labels[i]));
});

test('two symmetric points: the squared-hinge dual solution by hand', () => {
  // x = ±1 with labels ±1, no bias: both margins equal w, so the primal is ½w² + 2C(1 − w)²,
  // minimised at w = 4C / (1 + 4C); C = 1 → 0.8 (class 0 is the mirror image, −0.8).
  const model = fitLinearSvm([sparseFromDense([1]), sparseFromDense([-1])], [1, 0], { numClasses: 2, numFeatures: 1, c: 1, biasFeature: 0, tolerance: 1e-9, maxEpochs: 500 });
  expect(model.weights[1]).toBeCloseTo(0.8, 6);
  expect(model.weights[0]).toBeCloseTo(-0.8, 6);
});
