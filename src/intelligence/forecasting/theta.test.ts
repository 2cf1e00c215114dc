import { expect, test } from 'vitest';
import { fitTheta, predictTheta } from './theta.js';
import { fitNaive, predictNaive } from './naive.js';
import { fitSeasonalNaive, predictSeasonalNaive } from './seasonal-naive.js';
import { fitNaive2, predictNaive2 } from './naive2.js';
import { fitComb, predictComb } from './comb.js';

test('Theta on an exact line is SES with drift of half the slope', () => {
  // y = 5 + 3t: the theta-2 line equals the series, SES ends at ≈ y_n, so ŷ_{n+k} ≈ y_n + 1.5k
  const y = Array.from({ length: 20 }, (_, t) => 5 + 3 * (t + 1));
  const { model } = fitTheta(y);
  expect(model.slope).toBeCloseTo(3, 10);
  expect(model.intercept).toBeCloseTo(5, 10);
  predictTheta(model, 3).forEach((f, k) => expect(f).toBeCloseTo(65 + 1.5 * (k + 1), 1));
});

test('Theta floors negative forecasts at zero, as M4', () => {
  const falling = Array.from({ length: 12 }, (_, t) => 30 - 3 * t);
  expect(Math.min(...predictTheta(fitTheta(falling).model, 20))).toBe(0);
});

test('naive, seasonal naive and Naive2', () => {
  expect(predictNaive(fitNaive([1, 2, 3]), 2)).toEqual([3, 3]);
  expect(predictSeasonalNaive(fitSeasonalNaive([1, 2, 3, 4, 5], 2), 3)).toEqual([4, 5, 4]);
  const pattern = Array.from({ length: 24 }, (_, t) => (t % 4 === 0 ? 40 : 10));
  // adjusted series is flat at 17.5, so Naive2 gives back the seasonal pattern
  predictNaive2(fitNaive2(pattern, 4), 4).forEach((f, k) => expect(f).toBeCloseTo(k === 0 ? 40 : 10, 9));
  expect(predictNaive2(fitNaive2([1, 2, 3, 4], 1), 2)).toEqual([4, 4]);
});

test('Comb is the mean of SES, Holt and damped; on a constant all three agree', () => {
  const f = predictComb(fitComb(new Array<number>(20).fill(4), 1), 3);
  f.forEach((v) => expect(v).toBeCloseTo(4, 5));
});
