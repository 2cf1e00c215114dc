import { expect, test } from 'vitest';
import { autocorrelations, seasonalityTest } from './seasonality-test.js';

test('autocorrelations are mean-removed and divided by the full sum of squares, as R acf', () => {
  // deviations -2,-1,0,1,2: Σd² = 10, lag-1 products sum to 4, lag-2 to -1
  const r = autocorrelations([1, 2, 3, 4, 5], 2);
  expect(r[0]).toBeCloseTo(0.4, 12);
  expect(r[1]).toBeCloseTo(-0.1, 12);
});

test('a repeating pattern is seasonal at its period, noise-free trend-free white pattern is not at another lag', () => {
  const pattern = [10, 20, 30, 40];
  const series = Array.from({ length: 24 }, (_, t) => pattern[t % 4] as number);
  expect(seasonalityTest(series, 4).seasonal).toBe(true);
  expect(seasonalityTest(series, 3).seasonal).toBe(false);
});

test('fewer than three seasons are never called seasonal (M4 rule)', () => {
  const series = Array.from({ length: 11 }, (_, t) => (t % 4 === 0 ? 10 : 1));
  expect(seasonalityTest(series, 4)).toMatchObject({ seasonal: false });
});
