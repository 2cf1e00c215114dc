import { expect, test } from 'vitest';
import { fitForecaster, forecast, predictForecaster } from './forecast.js';
import { SINGLE_METHODS } from './methods.js';

const pattern = [30, 10, 10, 20];
const seasonal = Array.from({ length: 48 }, (_, t) => (pattern[t % 4] as number) + 0.1 * t + ((t * 7) % 3) * 0.2);

test('auto picks seasonal members for a seasonal series and follows the pattern', () => {
  const result = forecast(seasonal, { horizon: 8, seasonPeriod: 4 });
  expect(result.method).toBe('auto');
  expect(result.diagnostics.chosen.length).toBe(2);
  expect(result.diagnostics.chosen.every((name) => name.endsWith('@4'))).toBe(true);
  expect(result.point[0]).toBeGreaterThan(result.point[1] as number);
  expect(result.fitted.length).toBe(48);
  result.point.forEach((p, k) => {
    expect(result.lower[k]).toBeLessThan(p);
    expect(result.upper[k]).toBeGreaterThan(p);
  });
});

test('a fitted forecaster is plain data: JSON round-trip predicts the same', () => {
  const fitted = fitForecaster(seasonal, { horizon: 4, seasonPeriod: 4, method: 'theta' });
  const loaded = JSON.parse(JSON.stringify(fitted)) as typeof fitted;
  expect(predictForecaster(loaded, 4).point).toEqual(predictForecaster(fitted, 4).point);
});

test('every method runs on a short seasonal series; linear ETS gives wider 95 % than 80 % intervals', () => {
  for (const method of [...SINGLE_METHODS, 'comb'] as const) {
    const result = forecast(seasonal, { horizon: 4, seasonPeriod: 4, method, backtestOrigins: 1 });
    expect(result.point.every(Number.isFinite)).toBe(true);
  }
  const wide = forecast(seasonal, { horizon: 3, seasonPeriod: 4, method: 'ses', level: 0.95 });
  const narrow = forecast(seasonal, { horizon: 3, seasonPeriod: 4, method: 'ses', level: 0.8 });
  expect((wide.upper[2] as number) - (wide.lower[2] as number)).toBeGreaterThan((narrow.upper[2] as number) - (narrow.lower[2] as number));
});

test('rejects series it cannot forecast', () => {
  expect(() => forecast([1, 2], { horizon: 1 })).toThrow(RangeError);
  expect(() => forecast([1, 2, Number.NaN, 4, 5], { horizon: 1 })).toThrow(RangeError);
});
