import { expect, test } from 'vitest';
import { mae, mape, mase, maseScale, owa, rmse, rSquared, smape } from './metrics.js';

test('sMAPE is 200|y−f|/(|y|+|f|) averaged over the horizon', () => {
  expect(smape([100, 50], [110, 50])).toBeCloseTo((200 * 10) / 210 / 2, 12);
  expect(smape([0], [0])).toBe(0);
});

test('MASE scales the MAE by the in-sample seasonal-naive MAE', () => {
  expect(maseScale([1, 2, 4], 1)).toBe(1.5);
  expect(mase([1, 2, 4], [5], [4], 1)).toBeCloseTo(1 / 1.5, 12);
  // m = 2: |3−1| and |5−2| → 2.5
  expect(maseScale([1, 2, 3, 5], 2)).toBe(2.5);
});

test('OWA averages the two ratios to Naive2', () => {
  expect(owa({ smape: 2, mase: 1 }, { smape: 4, mase: 2 })).toBe(0.5);
  expect(owa({ smape: 4, mase: 1 }, { smape: 4, mase: 2 })).toBe(0.75);
});

test('RMSE, MAE, MAPE and R² on a hand-checked case', () => {
  const y = [1, 2, 3, 4];
  const f = [1, 2, 3, 6];
  expect(rmse(y, f)).toBe(1);
  expect(mae(y, f)).toBe(0.5);
  expect(mape(y, f)).toBe(12.5);
  expect(rSquared(y, f)).toBeCloseTo(1 - 4 / 5, 12);
  expect(() => rmse([1], [1, 2])).toThrow(RangeError);
});
