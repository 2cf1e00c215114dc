import { test, expect } from 'vitest';
import { fitTemperature, temperatureNll, expectedCalibrationError } from './temperature-scaling.js';

test('recovers the temperature that generated over-confident logits', () => {
  // Two classes, logits ±4 but the true class probability is softmax(±4 / 4) = σ(2):
  // a population with that hit rate is best explained by T = 4.
  const p = 1 / (1 + Math.exp(-2));
  const hits = Math.round(1000 * p);
  const scores = Array.from({ length: 1000 }, () => [4, -4]);
  const labels = Array.from({ length: 1000 }, (_, i) => (i < hits ? 0 : 1));
  expect(fitTemperature(scores, labels)).toBeCloseTo(4, 1);
});

test('never makes held-out likelihood worse than T = 1', () => {
  const scores = [[2, 0, 0], [0, 3, 0], [0, 0, 1], [1, 0, 0]];
  const labels = [0, 1, 0, 0];
  const t = fitTemperature(scores, labels);
  expect(temperatureNll(scores, labels, t)).toBeLessThanOrEqual(temperatureNll(scores, labels, 1));
});

test('expected calibration error by hand', () => {
  // Bin [0.8, 0.867): confidences 0.8, 0.8, one right → |1 − 1.6| / 4 = 0.15; bin of 0.2 ×2, none right → 0.4/4.
  expect(expectedCalibrationError([0.8, 0.8, 0.2, 0.2], [true, false, false, false])).toBeCloseTo(0.15 + 0.1, 10);
});
