import { expect, test } from 'vitest';
import { fitEts, predictEts } from './ets-fit.js';
import { fitAutoEts } from './ets-auto.js';

const line = Array.from({ length: 30 }, (_, t) => 10 + 2 * t);

test('Holt fitted by likelihood continues an exact line', () => {
  const model = fitEts(line, { error: 'A', trend: 'A', season: 'N' });
  predictEts(model, 3).forEach((f, k) => expect(f).toBeCloseTo(10 + 2 * (30 + k), 1));
});

test('SES by one-step MSE on a constant series forecasts the constant', () => {
  const model = fitEts(new Array<number>(20).fill(7), { error: 'A', trend: 'N', season: 'N' }, { criterion: 'mse' });
  expect(predictEts(model, 2)).toEqual([expect.closeTo(7, 6), expect.closeTo(7, 6)]);
});

test('the R-compatible optimiser reaches the same SES optimum on a simple series', () => {
  const y = [3, 5, 4, 6, 5, 7, 6, 8, 7, 9, 8, 10];
  const ours = fitEts(y, { error: 'A', trend: 'N', season: 'N' }, { criterion: 'mse' });
  const r = fitEts(y, { error: 'A', trend: 'N', season: 'N' }, { criterion: 'mse', optimizer: 'r-forecast' });
  expect(predictEts(r, 1)[0]).toBeCloseTo(predictEts(ours, 1)[0] as number, 1);
});

test('additive Holt–Winters reproduces a trending seasonal pattern, and states serialise', () => {
  const pattern = [5, -3, 1, -3];
  const y = Array.from({ length: 40 }, (_, t) => 50 + 0.5 * t + (pattern[t % 4] as number));
  const model = JSON.parse(JSON.stringify(fitEts(y, { error: 'A', trend: 'A', season: 'A' }, { seasonPeriod: 4 }))) as ReturnType<typeof fitEts>;
  predictEts(model, 4).forEach((f, k) => expect(f).toBeCloseTo(50 + 0.5 * (40 + k) + (pattern[k % 4] as number), 0));
});

test('AICc prefers a trend model for a trending series and a level model for a flat noisy one', () => {
  const noisy = [10, 12, 9, 11, 10, 12, 9, 11, 10, 11, 10, 12, 9, 11, 10, 12, 9, 11, 10, 11];
  expect(fitAutoEts(line).model.spec.trend).not.toBe('N');
  expect(fitAutoEts(noisy).model.spec.trend).toBe('N');
  expect(fitAutoEts(noisy).candidates.length).toBe(6);
});

test('refuses what it cannot model', () => {
  expect(() => fitEts([1, 2, 3], { error: 'A', trend: 'N', season: 'N' })).toThrow(RangeError);
  expect(() => fitEts([1, 0, 2, 3, 4], { error: 'M', trend: 'N', season: 'N' })).toThrow(RangeError);
  expect(() => fitEts([1, 2, 3, 4, 5, 6, 7], { error: 'A', trend: 'N', season: 'A' }, { seasonPeriod: 4 })).toThrow(RangeError);
});
