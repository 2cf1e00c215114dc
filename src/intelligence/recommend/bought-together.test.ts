import { test, expect } from 'vitest';
import { fitBoughtTogether, suggestForBasket } from './bought-together.js';
import type { PurchaseLine } from './interactions.js';

const basket = (basketId: string, items: string[]): PurchaseLine[] => items.map((itemId) => ({ customerId: 'c', itemId, basketId, at: 0 }));

test('rules carry support, confidence P(b|a) and lift n_ab·N/(n_a·n_b)', () => {
  const lines = [
    ...basket('1', ['mug', 'saucer']), ...basket('2', ['mug', 'saucer']), ...basket('3', ['mug', 'saucer', 'candle']),
    ...basket('4', ['candle']), ...basket('5', ['candle', 'card']), ...basket('6', ['card']),
  ];
  const model = fitBoughtTogether(lines, { minSupport: 2 });
  expect(model.baskets).toBe(6);
  const mug = model.items.indexOf('mug');
  expect(model.rules[mug]).toEqual([{ item: model.items.indexOf('saucer'), support: 3, confidence: 1, lift: 2 }]);
  // candle & card share one basket only: below minSupport.
  expect(model.rules[model.items.indexOf('card')]).toEqual([]);
  const [top] = suggestForBasket(model, ['mug'], 3);
  expect(top).toMatchObject({ itemId: 'saucer', score: 1, because: { itemId: 'mug', lift: 2 } });
  expect(suggestForBasket(model, ['mug', 'saucer'], 3)).toEqual([]);
});

test('several basket items combine by noisy-or', () => {
  // a→x and b→x each have confidence 1/2 (and lift > 1), so a basket {a, b} suggests x with 1 − ½·½.
  const lines = [
    ...basket('1', ['a', 'x']), ...basket('2', ['a', 'x']), ...basket('3', ['a']), ...basket('4', ['a']),
    ...basket('5', ['b', 'x']), ...basket('6', ['b', 'x']), ...basket('7', ['b']), ...basket('8', ['b']),
    ...basket('9', ['y']), ...basket('10', ['y']), ...basket('11', ['y']), ...basket('12', ['y']),
  ];
  const model = fitBoughtTogether(lines, { minSupport: 2 });
  const [top] = suggestForBasket(model, ['a', 'b'], 1);
  expect(top?.itemId).toBe('x');
  expect(top?.score).toBeCloseTo(0.75, 12);
});

test('oversized baskets are ignored as restocks', () => {
  const model = fitBoughtTogether([...basket('1', ['a', 'b', 'c']), ...basket('2', ['a', 'b', 'c'])], { minSupport: 1, maxBasketSize: 2 });
  expect(model.baskets).toBe(0);
  expect(model.rules.every((r) => r.length === 0)).toBe(true);
});
