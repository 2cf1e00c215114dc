import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { allocate, computeTotals, lineTax, type Discount } from './totals.js';

const line = fc.record({ unitAmount: fc.integer({ min: 0, max: 1_000_000 }), quantity: fc.integer({ min: 1, max: 100 }) });
const lines = fc.array(line, { minLength: 0, maxLength: 12 }).map((ls) => ls.map((l, i) => ({ ...l, id: `l${i}` })));
const discount: fc.Arbitrary<Discount> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.integer({ min: 0, max: 20_000 }).map((basisPoints) => ({ kind: 'percentage' as const, basisPoints })),
  fc.integer({ min: 0, max: 200_000_000 }).map((amount) => ({ kind: 'fixed' as const, amount })),
);
const rate = fc.integer({ min: 0, max: 5_000 });

describe('computeTotals', () => {
  test('is never negative, lines add up to the subtotal and the total', () => {
    fc.assert(fc.property(lines, discount, fc.integer({ min: 0, max: 10_000 }), rate, fc.boolean(), (ls, d, shipping, r, inclusive) => {
      const t = computeTotals({ lines: ls, discount: d, shipping, taxRateBps: r, taxInclusive: inclusive });
      for (const v of [t.subtotal, t.discount, t.shipping, t.tax, t.total]) expect(v).toBeGreaterThanOrEqual(0);
      for (const l of t.lines) for (const v of [l.subtotal, l.discount, l.tax, l.total]) expect(v).toBeGreaterThanOrEqual(0);
      expect(t.lines.reduce((s, l) => s + l.subtotal, 0)).toBe(t.subtotal);
      expect(t.lines.reduce((s, l) => s + l.discount, 0)).toBe(t.discount);
      expect(t.lines.reduce((s, l) => s + l.tax, 0)).toBe(t.tax);
      expect(t.lines.reduce((s, l) => s + l.total, 0) + t.shipping).toBe(t.total);
      expect(t.total).toBe(t.subtotal - t.discount + t.shipping + (inclusive ? 0 : t.tax));
    }));
  });

  test('a discount never exceeds what it applies to, on the order and on each line', () => {
    fc.assert(fc.property(lines, discount, (ls, d) => {
      const t = computeTotals({ lines: ls, discount: d });
      expect(t.discount).toBeLessThanOrEqual(t.subtotal);
      for (const l of t.lines) expect(l.discount).toBeLessThanOrEqual(l.subtotal);
    }));
  });

  test('tax-inclusive prices built from exclusive ones give the same net and tax', () => {
    fc.assert(fc.property(lines, discount, rate, (ls, d, r) => {
      const exclusive = computeTotals({ lines: ls, discount: d, taxRateBps: r, taxInclusive: false });
      for (const l of exclusive.lines) {
        const net = l.subtotal - l.discount;
        const gross = net + l.tax;
        expect(lineTax(gross, r, true)).toBe(l.tax);
        expect(gross - lineTax(gross, r, true)).toBe(net);
      }
    }));
  });

  test('allocation is exact and proportional within one unit', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 10 }), fc.integer({ min: 0, max: 1_000_000 }), (weights, raw) => {
      const total = weights.reduce((s, w) => s + w, 0);
      const amount = Math.min(raw, total);
      const shares = allocate(amount, weights);
      expect(shares.reduce((s, v) => s + v, 0)).toBe(total === 0 ? 0 : amount);
      weights.forEach((w, i) => {
        expect(shares[i]).toBeLessThanOrEqual(w);
        if (total > 0) expect(Math.abs((shares[i] as number) - (amount * w) / total)).toBeLessThan(1);
      });
    }));
  });

  test('documented rounding: half-up per line', () => {
    // 20 % of 1.25 is 0.25 exactly; 19 % of 0.50 is 0.095 → 0.10 (half-up); inclusive 1.20 at 20 % holds 0.20.
    expect(computeTotals({ lines: [{ id: 'a', unitAmount: 125, quantity: 1 }], taxRateBps: 2000 }).tax).toBe(25);
    expect(lineTax(50, 1900, false)).toBe(10);
    expect(computeTotals({ lines: [{ id: 'a', unitAmount: 120, quantity: 1 }], taxRateBps: 2000, taxInclusive: true })).toMatchObject({ tax: 20, total: 120 });
    expect(computeTotals({ lines: [{ id: 'a', unitAmount: 100, quantity: 1 }, { id: 'b', unitAmount: 100, quantity: 1 }], discount: { kind: 'fixed', amount: 1 } }).lines.map((l) => l.discount)).toEqual([1, 0]);
  });

  test('refuses fractional or negative amounts', () => {
    expect(() => computeTotals({ lines: [{ id: 'a', unitAmount: 1.5, quantity: 1 }] })).toThrow(RangeError);
    expect(() => computeTotals({ lines: [{ id: 'a', unitAmount: 100, quantity: 0 }] })).toThrow(RangeError);
  });
});
