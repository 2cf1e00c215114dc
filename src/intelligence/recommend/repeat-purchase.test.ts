import { test, expect } from 'vitest';
import { repeatScores } from './repeat-purchase.js';
import { fitItemSignals, fitPopularity } from './popularity.js';

const DAY = 86_400_000;

test('repeat score halves per half-life and is a plain count without decay', () => {
  const history = [{ itemId: 'tea', at: 10 * DAY }, { itemId: 'tea', at: 9 * DAY }, { itemId: 'mug', at: 8 * DAY }];
  const decayed = repeatScores(history, { halfLifeDays: 1, asOf: 10 * DAY });
  expect(decayed.get('tea')).toBeCloseTo(1.5, 12);
  expect(decayed.get('mug')).toBeCloseTo(0.25, 12);
  expect(repeatScores(history, { halfLifeDays: Infinity, asOf: 10 * DAY }).get('tea')).toBe(2);
});

test('popularity counts distinct buyers, weighted by their last purchase when decayed', () => {
  const lines = [
    { customerId: 'a', itemId: 'tea', basketId: '1', at: 0 },
    { customerId: 'a', itemId: 'tea', basketId: '2', at: 2 * DAY },
    { customerId: 'b', itemId: 'tea', basketId: '3', at: 0 },
    { customerId: 'b', itemId: 'mug', basketId: '3', at: 0 },
  ];
  expect(fitPopularity(lines, ['tea', 'mug']).score).toEqual([2, 1]);
  const recent = fitPopularity(lines, ['tea', 'mug'], { halfLifeDays: 2, asOf: 2 * DAY }).score;
  expect(recent[0]).toBeCloseTo(1.5, 12);
  expect(recent[1]).toBeCloseTo(0.5, 12);
  const signals = fitItemSignals(lines, ['tea', 'mug'], { asOf: 2 * DAY });
  expect(signals.repeatRate).toEqual([0.5, 0]);
});
