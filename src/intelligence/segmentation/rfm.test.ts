import { describe, expect, test } from 'vitest';
import { fitRfm, rfmScores, scoreRfm, type CustomerSummary } from './rfm.js';
import { explainSegment, segmentFor } from './segment-names.js';

const DAY = 86_400_000;
const REF = Date.UTC(2024, 0, 31);
const customer = (id: string, daysAgo: number, orders: number, revenue: number): CustomerSummary => ({
  customerId: id, lastOrderAt: REF - daysAgo * DAY, orders, revenue,
});

describe('RFM quintile scores', () => {
  test('five distinct customers get one score each, recency reversed', () => {
    const scores = rfmScores([1, 2, 3, 4, 5].map((i) => customer(`c${i}`, i, i, 10 * i)), REF);
    expect(scores.map((s) => s.recency)).toEqual([5, 4, 3, 2, 1]);
    expect(scores.map((s) => s.frequency)).toEqual([1, 2, 3, 4, 5]);
    expect(scores.map((s) => s.monetary)).toEqual([1, 2, 3, 4, 5]);
    expect(scores[0]!.recencyDays).toBe(1);
  });
  test('tied values share a score (four one-order customers are all F = 1)', () => {
    const model = fitRfm([1, 1, 1, 1, 5].map((o, i) => customer(`c${i}`, 10, o, 1)), REF);
    // 20/40/60/80 % type-7 quantiles of [1,1,1,1,5]: 1, 1, 1, 1.8
    expect(model.frequencyBreaks.slice(0, 3)).toEqual([1, 1, 1]);
    expect(model.frequencyBreaks[3]).toBeCloseTo(1.8, 12);
    expect(scoreRfm(model, customer('x', 10, 1, 1)).frequency).toBe(1);
    expect(scoreRfm(model, customer('y', 10, 5, 1)).frequency).toBe(5);
    expect(scoreRfm(model, customer('z', 10, 2, 1)).frequency).toBe(5);
  });
  test('a fitted model scores a customer it has never seen', () => {
    const model = fitRfm([1, 2, 3, 4, 5].map((i) => customer(`c${i}`, i, i, 10 * i)), REF);
    expect(scoreRfm(model, customer('new', 0, 100, 1000))).toMatchObject({ recency: 5, frequency: 5, monetary: 5 });
    expect(scoreRfm(model, customer('old', 400, 1, 1))).toMatchObject({ recency: 1, frequency: 1, monetary: 1 });
  });
});

describe('segment names from the published grid', () => {
  test('corners and documented cells', () => {
    expect(segmentFor(5, 5, 5)).toBe('champions');
    expect(segmentFor(1, 1, 1)).toBe('lost');
    expect(segmentFor(5, 1, 1)).toBe('new');
    expect(segmentFor(4, 1, 1)).toBe('promising');
    expect(segmentFor(1, 4, 5)).toBe("can't lose"); // FM = round(4.5) = 5
    expect(segmentFor(2, 3, 4)).toBe('at risk'); // FM = round(3.5) = 4
    expect(segmentFor(3, 3, 3)).toBe('need attention');
    expect(segmentFor(2, 1, 2)).toBe('hibernating'); // FM = round(1.5) = 2
  });
  test('the explanation carries the numbers behind the scores', () => {
    const e = explainSegment({ customerId: 'c', recencyDays: 3, orders: 12, revenue: 4210, recency: 5, frequency: 4, monetary: 5 });
    expect(e.segment).toBe('champions');
    expect(e.reason).toContain('last order 3 days ago');
    expect(e.reason).toContain('12 orders');
    expect(e.reason).toContain('FM 5');
  });
});

test('property: more orders never lowers F, more days since the last order never raises R', async () => {
  const fc = await import('fast-check');
  fc.assert(fc.property(
    fc.array(fc.record({ days: fc.integer({ min: 0, max: 400 }), orders: fc.integer({ min: 1, max: 50 }), revenue: fc.integer({ min: 1, max: 10_000 }) }), { minLength: 1, maxLength: 40 }),
    fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }),
    (base, days, o1, o2) => {
      const model = fitRfm(base.map((b, i) => customer(`c${i}`, b.days, b.orders, b.revenue)), REF);
      const lo = scoreRfm(model, customer('a', days, Math.min(o1, o2), 10));
      const hi = scoreRfm(model, customer('b', days + 30, Math.max(o1, o2), 10));
      return hi.frequency >= lo.frequency && hi.recency <= lo.recency;
    },
  ), { seed: 42, numRuns: 200 });
});
