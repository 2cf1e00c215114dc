import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { listApplies, nextPriceChange, resolvePrice, type PriceListRule, type PriceRow } from './pricing.js';

const currency = fc.constantFrom('USD', 'EUR');
const group = fc.option(fc.constantFrom('vip', 'wholesale'), { nil: null });
const region = fc.option(fc.constantFrom('eu', 'us'), { nil: null });
const instant = fc.integer({ min: 0, max: 1000 });
const list = (id: string) => fc.record({
  id: fc.constant(id), kind: fc.constantFrom<'sale' | 'override'>('sale', 'override'), customerGroup: group, region,
  startsAt: fc.option(instant, { nil: null }), endsAt: fc.option(instant, { nil: null }),
});
const scenario = fc.integer({ min: 0, max: 5 }).chain((n) => fc.record({
  lists: fc.tuple(...Array.from({ length: n }, (_, i) => list(`L${i}`))),
  base: fc.dictionary(currency, fc.integer({ min: 0, max: 100_000 })),
  listPrices: fc.array(fc.record({ list: fc.integer({ min: 0, max: Math.max(0, n - 1) }), currency, amount: fc.integer({ min: 0, max: 100_000 }) }), { maxLength: n ? 8 : 0 }),
  context: fc.record({ currency, region, customerGroup: group, now: instant }),
}));

function rowsOf(s: { lists: PriceListRule[]; base: Record<string, number>; listPrices: { list: number; currency: string; amount: number }[] }): PriceRow[] {
  const seen = new Set<string>();
  const rows: PriceRow[] = Object.entries(s.base).map(([c, amount]) => ({ currency: c, amount, compareAt: null, priceListId: null }));
  for (const p of s.listPrices) {
    const id = s.lists[p.list]?.id;
    if (!id || seen.has(`${id}/${p.currency}`)) continue;
    seen.add(`${id}/${p.currency}`);
    rows.push({ currency: p.currency, amount: p.amount, compareAt: null, priceListId: id });
  }
  return rows;
}

describe('price resolver properties', () => {
  test('the answer is one of the variant’s own prices in the asked currency, from the base or an applicable list', () => {
    fc.assert(fc.property(scenario, (s) => {
      const rows = rowsOf(s);
      const lists = new Map(s.lists.map((l) => [l.id, l]));
      const r = resolvePrice(rows, lists, s.context);
      if (!r) {
        expect(rows.filter((x) => x.currency === s.context.currency && (x.priceListId === null || listApplies(lists.get(x.priceListId)!, s.context)))).toEqual([]);
        return;
      }
      expect(Number.isInteger(r.amount)).toBe(true);
      expect(r.currency).toBe(s.context.currency);
      const source = rows.find((x) => x.priceListId === r.priceListId && x.currency === r.currency);
      expect(source?.amount).toBe(r.amount);
      if (r.priceListId) expect(listApplies(lists.get(r.priceListId)!, s.context)).toBe(true);
    }));
  });

  test('without an applicable override, a sale never raises the price above the base', () => {
    fc.assert(fc.property(scenario, (s) => {
      const rows = rowsOf(s);
      const lists = new Map(s.lists.map((l) => [l.id, l]));
      const r = resolvePrice(rows, lists, s.context);
      const base = rows.find((x) => x.priceListId === null && x.currency === s.context.currency);
      const override = rows.some((x) => x.priceListId && x.currency === s.context.currency && lists.get(x.priceListId)!.kind === 'override' && listApplies(lists.get(x.priceListId)!, s.context));
      if (base && !override) expect(r!.amount).toBeLessThanOrEqual(base.amount);
      if (r && base && r.amount < base.amount) expect(r.compareAt).toBe(base.amount);
    }));
  });

  test('row order does not matter', () => {
    fc.assert(fc.property(scenario, fc.integer(), (s, seed) => {
      const rows = rowsOf(s);
      const lists = new Map(s.lists.map((l) => [l.id, l]));
      const shuffled = [...rows].sort((a, b) => ((a.amount * 31 + seed) % 7) - ((b.amount * 31 + seed) % 7));
      expect(resolvePrice(shuffled, lists, s.context)).toEqual(resolvePrice(rows, lists, s.context));
    }));
  });

  test('the price only changes at a list boundary: nextPriceChange bounds every cached answer', () => {
    fc.assert(fc.property(scenario, (s) => {
      const rows = rowsOf(s);
      const lists = new Map(s.lists.map((l) => [l.id, l]));
      const next = nextPriceChange(lists.values(), s.context.now);
      const at = resolvePrice(rows, lists, s.context);
      for (let t = s.context.now; t < Math.min(next, s.context.now + 50); t++) expect(resolvePrice(rows, lists, { ...s.context, now: t })).toEqual(at);
    }));
  });

  test('dates: start inclusive, end exclusive; region and group must match when set', () => {
    const sale: PriceListRule = { id: 's', kind: 'sale', customerGroup: 'vip', region: 'eu', startsAt: 100, endsAt: 200 };
    const ctx = { currency: 'EUR', region: 'eu', customerGroup: 'vip', now: 100 };
    expect(listApplies(sale, ctx)).toBe(true);
    expect(listApplies(sale, { ...ctx, now: 200 })).toBe(false);
    expect(listApplies(sale, { ...ctx, region: 'us' })).toBe(false);
    expect(listApplies(sale, { ...ctx, customerGroup: null })).toBe(false);
  });
});
