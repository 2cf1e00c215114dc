import { test, expect } from 'vitest';
import { blendContributions, blendScore, fitLogisticBlend } from './logistic-blend.js';

test('recovers the log-odds of a binary feature (MLE: intercept log(1/3), weight 2·log 3)', () => {
  // feature 0: 1 of 4 bought; feature 1: 3 of 4 bought.
  const rows = [[0], [0], [0], [0], [1], [1], [1], [1]];
  const bought: (0 | 1)[] = [1, 0, 0, 0, 1, 1, 1, 0];
  const blend = fitLogisticBlend(['boughtBefore'], rows, bought, { l2: 1e-9 });
  expect(blend.intercept).toBeCloseTo(Math.log(1 / 3), 6);
  expect(blend.weights[0]).toBeCloseTo(2 * Math.log(3), 6);
  expect(blendScore(blend, [1])).toBeCloseTo(Math.log(3), 6);
});

test('contributions explain a score, strongest first', () => {
  const blend = { features: ['repeat', 'trend'], intercept: -1, weights: [2, 0.5] };
  expect(blendContributions(blend, [1, 8])).toEqual([{ feature: 'trend', contribution: 4 }, { feature: 'repeat', contribution: 2 }]);
  expect(blendContributions(blend, [1, 1]).map((c) => c.feature)).toEqual(['repeat', 'trend']);
  expect(() => fitLogisticBlend(['x'], [[1], [2]], [1, 1])).toThrow(/both outcomes/);
});
