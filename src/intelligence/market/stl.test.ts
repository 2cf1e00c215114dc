import { test, expect } from 'vitest';
import { decomposeStl } from './stl.js';
import { decompositionStrength } from './decomposition-strength.js';
import { seededRandom } from '../random.js';

const pattern = [3, -1, 2, -4]; // sums to 0
const linearPlusSeason = (n: number): number[] => Array.from({ length: n }, (_, t) => 50 + 0.5 * t + (pattern[t % 4] as number));

test('a linear trend plus a fixed season is STL\'s fixed point: the iterations converge to it exactly', () => {
  const y = linearPlusSeason(40);
  const d = decomposeStl(y, 4, { seasonalWindow: 7, innerIterations: 30 });
  d.trend.forEach((level, t) => expect(level).toBeCloseTo(50 + 0.5 * t, 4));
  d.seasonal.forEach((s, t) => expect(s).toBeCloseTo(pattern[t % 4] as number, 4));
  d.remainder.forEach((r) => expect(r).toBeCloseTo(0, 4));
  const strength = decompositionStrength(d);
  expect(strength.trendStrength).toBeCloseTo(1, 6);
  expect(strength.seasonalStrength).toBeCloseTo(1, 6);
  expect(strength.trendSlope).toBeCloseTo(0.5, 4);
});

test('with R\'s default two inner passes the trend is defined at the ends and close to the truth', () => {
  const y = linearPlusSeason(40);
  const d = decomposeStl(y, 4, { seasonalWindow: 'periodic' });
  expect(d.trend.every(Number.isFinite)).toBe(true);
  d.trend.forEach((level, t) => expect(Math.abs(level - (50 + 0.5 * t))).toBeLessThan(0.1));
  // periodic: the same value at each cycle position
  expect(d.seasonal[1]).toBe(d.seasonal[5]);
  d.observed.forEach((v, t) => expect((d.trend[t] as number) + (d.seasonal[t] as number) + (d.remainder[t] as number)).toBeCloseTo(v, 10));
});

test('robust STL leaves a one-off spike in the remainder and gives it zero weight', () => {
  const y = linearPlusSeason(48);
  y[21] = (y[21] as number) + 100;
  const plain = decomposeStl(y, 4, { seasonalWindow: 7 });
  const robust = decomposeStl(y, 4, { seasonalWindow: 7, robust: true });
  expect(robust.robustnessWeights[21]).toBe(0);
  expect(robust.remainder[21]).toBeGreaterThan(95);
  expect(Math.abs((robust.trend[21] as number) - (50 + 0.5 * 21))).toBeLessThan(Math.abs((plain.trend[21] as number) - (50 + 0.5 * 21)));
  expect(Math.abs((robust.trend[21] as number) - (50 + 0.5 * 21))).toBeLessThan(0.5);
});

test('noise without trend or season has low strengths', () => {
  const random = seededRandom(3);
  const d = decomposeStl(Array.from({ length: 96 }, () => random.normal()), 12, { seasonalWindow: 7 });
  const strength = decompositionStrength(d);
  expect(strength.trendStrength).toBeLessThan(0.2);
  expect(strength.seasonalStrength).toBeLessThan(0.4);
  expect(() => decomposeStl([1, 2, 3], 2, { seasonalWindow: 7 })).toThrow(RangeError);
});

test('monthly sales with growth and a yearly cycle: strong trend, strong season, slope ≈ 2 per month', () => {
  const random = seededRandom(4);
  const sales = Array.from({ length: 60 }, (_, t) => 100 + 2 * t + 10 * Math.sin((2 * Math.PI * t) / 12) + 3 * random.normal());
  const strength = decompositionStrength(decomposeStl(sales, 12, { seasonalWindow: 7 }));
  expect(strength.trendStrength).toBeGreaterThan(0.95);
  expect(strength.seasonalStrength).toBeGreaterThan(0.8);
  expect(strength.trendSlope).toBeCloseTo(2, 1);
});
