import { expect, test } from 'vitest';
import { backtestOrigins, rollingOriginBacktest, scoreCandidates } from './backtest.js';
import { empiricalForecastVariance, intervalsFromVariance } from './intervals.js';
import { candidatePool } from './auto-selection.js';

test('origins step back by the horizon and stop at the minimum training length', () => {
  expect(backtestOrigins(20, { horizon: 5, origins: 3, minimumTrainingLength: 8 })).toEqual([15, 10]);
});

test('the backtest never shows a forecaster its own future, and the best candidate ranks first', () => {
  const series = Array.from({ length: 12 }, (_, t) => t);
  const windows = rollingOriginBacktest(series, { horizon: 2, origins: 2, minimumTrainingLength: 4 }, (training, h) => {
    const last = training[training.length - 1] as number;
    return { drift: Array.from({ length: h }, (_, k) => last + k + 1), naive: new Array<number>(h).fill(last) };
  });
  expect(windows.map((w) => w.origin)).toEqual([10, 8]);
  expect(windows[0]?.actual).toEqual([10, 11]);
  const ranking = scoreCandidates(windows);
  expect(ranking[0]?.name).toBe('drift');
  expect(ranking[0]?.mae).toBe(0);
});

test('empirical variance: running mean of per-step squared errors, random-walk growth beyond', () => {
  expect(empiricalForecastVariance([[1, 2], [-1, -2]], 3)).toEqual([1, 2.5, 3.75]);
  const { lower, upper } = intervalsFromVariance([10], [4], 0.95);
  expect(lower[0]).toBeCloseTo(10 - 1.959964 * 2, 5);
  expect(upper[0]).toBeCloseTo(10 + 1.959964 * 2, 5);
});

test('the automatic pool adds seasonal candidates only for seasons it can detect', () => {
  const flat = Array.from({ length: 40 }, (_, t) => 10 + (t % 3));
  const keys = (s: number[]) => candidatePool(s, 4).map((c) => `${c.method}@${c.seasonPeriod}`);
  expect(keys(flat)).not.toContain('theta@4');
  const seasonal = Array.from({ length: 40 }, (_, t) => (t % 4 === 0 ? 40 : 10));
  expect(keys(seasonal)).toEqual(expect.arrayContaining(['snaive@4', 'theta@4', 'holt-winters-damped@4', 'ses@1']));
});
