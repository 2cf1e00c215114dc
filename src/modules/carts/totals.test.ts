import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { allocate, computeTotals, lineTax, type Discount, type PromotionAdjustment } from './totals.js';

const line = fc.record({ unitAmount: fc.integer({ min: 0, max: 1_000_000 }), quantity: fc.integer({ min: 1, max: 100 }) });
const lines = fc.array(line, { minLength: 0, maxLength: 12 }).map((ls) => ls.map((l, i) => ({ ...l, id: `l${i}` })));
const discount: fc.Arbitrary<Discount> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.integer({ min: 0, max: 20_000 }).map((basisPoints) => ({ kind: 'percentage' as const, basisPoints })),
  fc.integer({ min: 0, max: 200_000_000 }).map((amount) => ({ kind: 'fixed' as const, amount })),
);
const rate = fc.integer({ min: 0, max: 5_000 });
const lineRate = fc.option(rate, { nil: undefined });
const taxedLines = fc.array(fc.record({ unitAmount: fc.integer({ min: 0, max: 1_000_000 }), quantity: fc.integer({ min: 1, max: 100 }), taxRateBps: lineRate }), { maxLength: 12 })
  .map((ls) => ls.map((l, i) => ({ ...l, id: `l${i}` })));
/** Promotions that target some of l0…l11 (or every line), of every kind. */
const targets = fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 11 }), { maxLength: 6 }).map((is) => is.map((i) => `l${i}`)), { nil: undefined });
const promotion: fc.Arbitrary<PromotionAdjustment> = fc.oneof(
  fc.record({ kind: fc.constant('percentage' as const), basisPoints: fc.integer({ min: 0, max: 20_000 }), lineIds: targets }),
  fc.record({ kind: fc.constant('fixed' as const), amount: fc.integer({ min: 0, max: 50_000_000 }), lineIds: targets }),
  fc.record({ kind: fc.constant('bxgy' as const), buy: fc.integer({ min: 1, max: 5 }), get: fc.integer({ min: 1, max: 3 }), basisPoints: fc.integer({ min: 0, max: 10_000 }), lineIds: targets }),
  fc.constant({ kind: 'free_shipping' as const }),
).map((p) => ({ ...p, id: 'p' }) as PromotionAdjustment);
const promotions = fc.array(promotion, { maxLength: 5 }).map((ps) => ps.map((p, i) => ({ ...p, id: `p${i}` })));

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

  test('with several promotions: never negative, lines add up, each promotion\'s amount is what the lines lost', () => {
    fc.assert(fc.property(taxedLines, promotions, fc.integer({ min: 0, max: 10_000 }), rate, fc.boolean(), (ls, ps, shipping, r, inclusive) => {
      const t = computeTotals({ lines: ls, promotions: ps, shipping, taxRateBps: r, taxInclusive: inclusive });
      for (const v of [t.subtotal, t.discount, t.shipping, t.tax, t.total]) expect(v).toBeGreaterThanOrEqual(0);
      for (const l of t.lines) {
        for (const v of [l.subtotal, l.discount, l.tax, l.total]) expect(v).toBeGreaterThanOrEqual(0);
        expect(l.discount).toBeLessThanOrEqual(l.subtotal);
      }
      expect(t.lines.reduce((s, l) => s + l.subtotal, 0)).toBe(t.subtotal);
      expect(t.lines.reduce((s, l) => s + l.total, 0) + t.shipping).toBe(t.total);
      const lineDiscounts = t.promotions.filter((p) => ps.find((q) => q.id === p.id)?.kind !== 'free_shipping').reduce((s, p) => s + p.amount, 0);
      expect(lineDiscounts).toBe(t.discount);
      const waived = t.promotions.filter((p) => ps.find((q) => q.id === p.id)?.kind === 'free_shipping').reduce((s, p) => s + p.amount, 0);
      expect(waived + t.shipping).toBe(shipping);
      if (ps.some((p) => p.kind === 'free_shipping')) expect(t.shipping).toBe(0);
      expect(t.total).toBe(t.subtotal - t.discount + t.shipping + (inclusive ? 0 : t.tax));
    }));
  });

  test('a targeted promotion discounts only its lines, and never more than they cost', () => {
    fc.assert(fc.property(taxedLines, promotion, (ls, p) => {
      const t = computeTotals({ lines: ls, promotions: [p] });
      if (p.kind === 'free_shipping') return;
      const targeted = t.lines.filter((l) => !p.lineIds || p.lineIds.includes(l.id));
      for (const l of t.lines) if (!targeted.includes(l)) expect(l.discount).toBe(0);
      expect(t.discount).toBeLessThanOrEqual(targeted.reduce((s, l) => s + l.subtotal, 0));
      if (p.kind === 'fixed') expect(t.discount).toBeLessThanOrEqual(p.amount);
    }));
  });

  test('tax-inclusive and exclusive agree with per-line rates and promotions', () => {
    fc.assert(fc.property(taxedLines, promotions, rate, (ls, ps, r) => {
      const exclusive = computeTotals({ lines: ls, promotions: ps, taxRateBps: r });
      exclusive.lines.forEach((l, i) => {
        const lineRate = ls[i]?.taxRateBps ?? r;
        const gross = l.subtotal - l.discount + l.tax;
        expect(lineTax(gross, lineRate, true)).toBe(l.tax);
      });
    }));
  });

  test('buy two get one free gives the cheapest unit of each group of three', () => {
    const lines = [{ id: 'a', unitAmount: 1000, quantity: 2 }, { id: 'b', unitAmount: 300, quantity: 1 }, { id: 'c', unitAmount: 500, quantity: 3 }];
    const t = computeTotals({ lines, promotions: [{ id: 'x', kind: 'bxgy', buy: 2, get: 1, basisPoints: 10_000 }] });
    // 6 units → 2 free: the 3.00 unit and one 5.00 unit.
    expect(t.lines.map((l) => l.discount)).toEqual([0, 300, 500]);
    expect(t.promotions).toEqual([{ id: 'x', amount: 800 }]);
    const targeted = computeTotals({ lines, promotions: [{ id: 'x', kind: 'bxgy', buy: 2, get: 1, basisPoints: 5_000, lineIds: ['a', 'c'] }] });
    // 5 targeted units → 1 at half price, the cheapest (5.00).
    expect(targeted.lines.map((l) => l.discount)).toEqual([0, 0, 250]);
  });

  test('promotions stack on what is left: 10 % then 5.00 off, then free shipping', () => {
    const t = computeTotals({
      lines: [{ id: 'a', unitAmount: 2000, quantity: 1 }, { id: 'b', unitAmount: 1000, quantity: 1 }], shipping: 495,
      promotions: [{ id: 'pct', kind: 'percentage', basisPoints: 1000, lineIds: ['a'] }, { id: 'fix', kind: 'fixed', amount: 500 }, { id: 'ship', kind: 'free_shipping' }],
    });
    expect(t.promotions).toEqual([{ id: 'pct', amount: 200 }, { id: 'fix', amount: 500 }, { id: 'ship', amount: 495 }]);
    expect(t).toMatchObject({ subtotal: 3000, discount: 700, shipping: 0, total: 2300 });
  });

  test('refuses fractional or negative amounts', () => {
    expect(() => computeTotals({ lines: [{ id: 'a', unitAmount: 1.5, quantity: 1 }] })).toThrow(RangeError);
    expect(() => computeTotals({ lines: [{ id: 'a', unitAmount: 100, quantity: 0 }] })).toThrow(RangeError);
  });
});
