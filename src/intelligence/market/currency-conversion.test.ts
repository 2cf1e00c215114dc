import { test, expect } from 'vitest';
import fc from 'fast-check';
import { convertMoney, crossRate, indexRates } from './currency-conversion.js';
import { minorDigits, roundToInteger } from './minor-units.js';
import { compareRegionalPrices } from './regional-prices.js';

const rates = indexRates({
  base: 'EUR',
  rates: [
    { date: '2024-01-05', currency: 'USD', perBase: 1.2 },
    { date: '2024-01-02', currency: 'USD', perBase: 1.1 },
    { date: '2024-01-02', currency: 'JPY', perBase: 160 },
    { date: '2024-01-02', currency: 'KWD', perBase: 0.34 },
  ],
});

test('ISO 4217 minor digits: 0 for JPY, 3 for KWD, 2 by default', () => {
  expect([minorDigits('JPY'), minorDigits('kwd'), minorDigits('EUR'), minorDigits('XXX', { XXX: 1 })]).toEqual([0, 3, 2, 1]);
});

test('the rate in force is the latest published on or before the date', () => {
  expect(convertMoney({ amount: 10_000, currency: 'EUR' }, 'USD', '2024-01-04', rates)).toEqual({ amount: 11_000, currency: 'USD' });
  expect(convertMoney({ amount: 10_000, currency: 'EUR' }, 'USD', '2024-01-05', rates)).toEqual({ amount: 12_000, currency: 'USD' });
  expect(() => convertMoney({ amount: 100, currency: 'EUR' }, 'USD', '2024-01-01', rates)).toThrow(/no USD rate in force/);
  expect(() => convertMoney({ amount: 100, currency: 'EUR' }, 'GBP', '2024-01-04', rates)).toThrow(/no rates for GBP/);
});

test('cross rates go through the base and minor digits are respected', () => {
  expect(crossRate(rates, 'USD', 'JPY', '2024-01-02')).toBeCloseTo(160 / 1.1, 12);
  // $10.00 × 145.4545… = ¥1454.545… → ¥1455
  expect(convertMoney({ amount: 1_000, currency: 'USD' }, 'JPY', '2024-01-02', rates)).toEqual({ amount: 1455, currency: 'JPY' });
  // €12.34 × 0.34 = 4.1956 KWD = 4196 fils
  expect(convertMoney({ amount: 1_234, currency: 'EUR' }, 'KWD', '2024-01-02', rates).amount).toBe(4196);
  // 1.000 KWD / 0.34 = €2.941176… → 294 cents
  expect(convertMoney({ amount: 1_000, currency: 'KWD' }, 'EUR', '2024-01-02', rates).amount).toBe(294);
  expect(() => convertMoney({ amount: 1.5, currency: 'EUR' }, 'USD', '2024-01-02', rates)).toThrow(/integer/);
});

test('a tie in a conversion follows the rounding mode: €0.02 × 1.25 = 2.5 cents', () => {
  const tie = indexRates({ base: 'EUR', rates: [{ date: '2024-01-01', currency: 'USD', perBase: 1.25 }] });
  const two = { amount: 2, currency: 'EUR' };
  expect(convertMoney(two, 'USD', '2024-02-01', tie).amount).toBe(2);
  expect(convertMoney(two, 'USD', '2024-02-01', tie, { rounding: 'half-up' }).amount).toBe(3);
  expect(convertMoney(two, 'USD', '2024-02-01', tie, { rounding: 'floor' }).amount).toBe(2);
});

test('rounding modes on ties, non-ties, negatives and decimal ties hidden by binary floats', () => {
  expect([2.5, 3.5, -2.5, 2.4, 2.6].map((x) => roundToInteger(x))).toEqual([2, 4, -2, 2, 3]);
  expect([2.5, 3.5, -2.5].map((x) => roundToInteger(x, 'half-up'))).toEqual([3, 4, -3]);
  expect([-2.4, 2.4].map((x) => roundToInteger(x, 'floor'))).toEqual([-3, 2]);
  expect([-2.4, 2.4].map((x) => roundToInteger(x, 'ceil'))).toEqual([-2, 3]);
  expect([-2.4, 2.4].map((x) => roundToInteger(x, 'toward-zero'))).toEqual([-2, 2]);
  expect(1.005 * 100).toBeLessThan(100.5);
  expect(roundToInteger(1.005 * 100, 'half-up')).toBe(101);
  expect(roundToInteger(1.005 * 100, 'half-even')).toBe(100);
  expect(roundToInteger(0.1 * 3 * 10, 'ceil')).toBe(3);
});

test('regional prices: normalised to EUR, median of the middle two, spread and relative position', () => {
  const comparison = compareRegionalPrices(
    [
      { region: 'DE', price: { amount: 1_000, currency: 'EUR' } },
      { region: 'US', price: { amount: 1_320, currency: 'USD' } }, // $13.20 / 1.1 = €12.00
      { region: 'JP', price: { amount: 1_280, currency: 'JPY' } }, // ¥1280 / 160 = €8.00
      { region: 'KW', price: { amount: 3_740, currency: 'KWD' } }, // 3.740 / 0.34 = €11.00
    ],
    'EUR', '2024-01-03', rates,
  );
  expect(comparison.prices.map((p) => [p.region, p.normalised.amount])).toEqual([['JP', 800], ['DE', 1000], ['KW', 1100], ['US', 1200]]);
  expect(comparison.median).toEqual({ amount: 1050, currency: 'EUR' });
  expect(comparison.spread.amount).toBe(400);
  expect(comparison.relativeSpread).toBeCloseTo(400 / 1050, 12);
  expect(comparison.maxToMinRatio).toBeCloseTo(1.5, 12);
  expect(comparison.cheapest.region).toBe('JP');
  expect(comparison.cheapest.relativeToMedian).toBeCloseTo(-250 / 1050, 12);
  expect(comparison.dearest.region).toBe('US');
});

test('property: rounding lands on an integer within half a unit, and half-even never drifts on ties', () => {
  fc.assert(fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (x) => {
    for (const mode of ['half-even', 'half-up'] as const) {
      const r = roundToInteger(x, mode);
      expect(Number.isInteger(r)).toBe(true);
      expect(Math.abs(r - x)).toBeLessThanOrEqual(0.5 + 1e-6 * Math.max(1, Math.abs(x)));
    }
  }));
  fc.assert(fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (k) => {
    expect(Math.abs(roundToInteger(k + 0.5) % 2)).toBe(0);
  }));
});

test('property: a conversion and its way back lose at most the rounding of both legs', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 1e10 }), fc.double({ min: 0.01, max: 500, noNaN: true }), (amount, rate) => {
    const table = indexRates({ base: 'EUR', rates: [{ date: '2020-01-01', currency: 'USD', perBase: rate }] });
    const there = convertMoney({ amount, currency: 'EUR' }, 'USD', '2021-01-01', table);
    const back = convertMoney(there, 'EUR', '2021-01-01', table);
    // one minor unit of USD is worth 1/rate EUR cents; each leg rounds by at most half a unit
    expect(Math.abs(back.amount - amount)).toBeLessThanOrEqual(0.5 / rate + 0.5 + 1e-9 * amount);
  }));
});
