import { test, expect } from 'vitest';
import { centredMovingAverage, decomposeClassical, type Decomposition } from './classical-decomposition.js';
import { decompositionStrength } from './decomposition-strength.js';

test('centred moving averages: 3-MA and 2×4-MA', () => {
  expect(centredMovingAverage([1, 2, 3, 4, 5], 3)).toEqual([NaN, 2, 3, 4, NaN]);
  // t = 2: (½·1 + 2 + 4 + 4 + ½·5) / 4 = 3.25
  expect(centredMovingAverage([1, 2, 4, 4, 5, 6], 4)).toEqual([NaN, NaN, 3.25, 4.25, NaN, NaN]);
});

test('linear trend plus a zero-sum quarterly pattern is recovered exactly', () => {
  const pattern = [1, -1, 2, -2];
  const y = Array.from({ length: 12 }, (_, t) => 10 + t + (pattern[t % 4] as number));
  const d = decomposeClassical(y, 4);
  expect(d.trend.slice(2, 10)).toEqual([12, 13, 14, 15, 16, 17, 18, 19]);
  expect(d.trend[0]).toBeNaN();
  expect(d.trend[11]).toBeNaN();
  d.seasonalIndices.forEach((s, i) => expect(s).toBeCloseTo(pattern[i] as number, 12));
  d.remainder.slice(2, 10).forEach((r) => expect(r).toBeCloseTo(0, 12));
  const strength = decompositionStrength(d);
  expect(strength.trendStrength).toBeCloseTo(1, 12);
  expect(strength.seasonalStrength).toBeCloseTo(1, 12);
  expect(strength.trendSlope).toBeCloseTo(1, 12);
  expect(strength.pointCount).toBe(8);
});

test('strength by hand: F_S = 1 − (1/3)/3 = 8/9 and F_T = 1 − (1/3)/(4/3) = 3/4', () => {
  const d: Decomposition = {
    type: 'additive', period: 2, observed: [], seasonalIndices: [1, -1],
    trend: [1, 2, 3, 4], seasonal: [1, -1, 1, -1], remainder: [0.5, -0.5, 0.5, -0.5],
  };
  const strength = decompositionStrength(d);
  expect(strength.seasonalStrength).toBeCloseTo(8 / 9, 12);
  expect(strength.trendStrength).toBeCloseTo(0.75, 12);
  expect(strength.trendSlope).toBeCloseTo(1, 12);
});

test('a flat series has zero trend strength rather than 0/0', () => {
  const d = decomposeClassical([1, -1, 1, -1, 1, -1, 1, -1], 2);
  const strength = decompositionStrength(d);
  expect(strength.trendStrength).toBe(0);
  expect(strength.seasonalStrength).toBe(1);
});

test('multiplicative: level 100 with seasonal factors 1.2 / 0.8', () => {
  const d = decomposeClassical([120, 80, 120, 80, 120, 80], 2, 'multiplicative');
  expect(d.trend.slice(1, 5)).toEqual([100, 100, 100, 100]);
  d.seasonalIndices.forEach((s, i) => expect(s).toBeCloseTo([1.2, 0.8][i] as number, 12));
  d.remainder.slice(1, 5).forEach((r) => expect(r).toBeCloseTo(1, 12));
  expect(() => decomposeClassical([1, 0, 1, 2], 2, 'multiplicative')).toThrow(RangeError);
  expect(() => decomposeClassical([1, 2, 3], 2)).toThrow(/two full periods/);
});
