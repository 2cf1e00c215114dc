import { expect, test } from 'vitest';
import { etsFilter, etsForecastVariance, etsPointForecast, filterTotals } from './ets.js';

const SES = { error: 'A', trend: 'N', season: 'N' } as const;

test('SES recursion: ℓ_t = ℓ_{t−1} + α·e_t', () => {
  const fitted = new Float64Array(2);
  expect(etsFilter([2, 4], SES, { alpha: 0.5, beta: 0, gamma: 0, phi: 1 }, 0, 0, new Float64Array(1), fitted)).toBe(true);
  // forecasts 0 then 1; errors 2 and 3; final level 2.5
  expect(Array.from(fitted)).toEqual([0, 1]);
  expect(filterTotals[0]).toBe(13);
  expect(filterTotals[3]).toBe(2.5);
});

test('additive seasonal recursion updates the state of the phase it used', () => {
  const season = new Float64Array([1, -1]);
  const spec = { error: 'A', trend: 'N', season: 'A' } as const;
  etsFilter([11, 9, 12], spec, { alpha: 0.5, beta: 0, gamma: 0.5, phi: 1 }, 10, 0, season, null);
  // t0: ŷ=11, e=0. t1: ŷ=9, e=0. t2: ŷ=11, e=1 → ℓ=10.5, s0=1.5
  expect(filterTotals[3]).toBe(10.5);
  expect(Array.from(season)).toEqual([1.5, -1]);
});

test('multiplicative models reject non-positive forecasts', () => {
  const spec = { error: 'M', trend: 'N', season: 'N' } as const;
  expect(etsFilter([1, 2], spec, { alpha: 0.5, beta: 0, gamma: 0, phi: 1 }, -1, 0, new Float64Array(1), null)).toBe(false);
});

test('damped trend forecasts add φ + φ² + … + φ^k times the slope', () => {
  const f = etsPointForecast({ error: 'A', trend: 'Ad', season: 'N' }, { alpha: 0.5, beta: 0.1, gamma: 0, phi: 0.5 }, { level: 10, trend: 4, nextSeason: [0] }, 2);
  expect(f).toEqual([12, 13]);
});

test('class-1 variance: SES grows by α² per step, damped trend by (α + β·Σφ^j)²', () => {
  expect(etsForecastVariance(SES, { alpha: 0.5, beta: 0, gamma: 0, phi: 1 }, 1, 1, 3)).toEqual([1, 1.25, 1.5]);
  const damped = etsForecastVariance({ error: 'A', trend: 'Ad', season: 'N' }, { alpha: 0.5, beta: 0.2, gamma: 0, phi: 0.5 }, 1, 1, 3) as number[];
  // c1 = 0.5 + 0.2·0.5 = 0.6; c2 = 0.5 + 0.2·0.75 = 0.65
  expect(damped[1]).toBeCloseTo(1.36, 12);
  expect(damped[2]).toBeCloseTo(1.36 + 0.4225, 12);
  expect(etsForecastVariance({ error: 'M', trend: 'N', season: 'N' }, { alpha: 0.5, beta: 0, gamma: 0, phi: 1 }, 1, 1, 3)).toBeNull();
});
