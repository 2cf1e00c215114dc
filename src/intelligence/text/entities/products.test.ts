import { test, expect } from 'vitest';
import { findProducts } from './products.js';
import { damerauLevenshtein, stringSimilarity } from './damerau-levenshtein.js';

const catalog = [
  { id: 'p1', name: 'Trail Runner' },
  { id: 'p2', name: 'Trail Runner GTX' },
  { id: 'p3', name: 'Classic Tee' },
  { id: 'p4', name: 'Merino Hoodie' },
];

test('Damerau–Levenshtein counts an adjacent swap as one edit', () => {
  expect(damerauLevenshtein('hoodie', 'hoodei')).toBe(1);
  expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
  expect(damerauLevenshtein('', 'abc')).toBe(3);
  expect(stringSimilarity('hoodie', 'hoodei')).toBeCloseTo(5 / 6, 12);
});

test('exact and misspelt mentions, with a score', () => {
  const [exact] = findProducts('Is the Merino Hoodie warm?', catalog);
  expect(exact).toMatchObject({ productId: 'p4', text: 'Merino Hoodie', score: 1 });
  const [typo] = findProducts('my merino hoodei has a hole', catalog);
  expect(typo?.productId).toBe('p4');
  expect(typo?.score).toBeCloseTo((6 + 5) / 12, 12);
});

test('the longer name wins on the same words', () => {
  expect(findProducts('I returned the trail runner gtx', catalog).map((p) => p.productId)).toEqual(['p2']);
  expect(findProducts('I returned the trail runner', catalog).map((p) => p.productId)).toEqual(['p1']);
});

test('short words must match exactly, so "classic the" is not the Classic Tee', () => {
  expect(findProducts('a classic the way it should be', catalog)).toEqual([]);
  expect(findProducts('two classic tees', catalog)).toEqual([]); // "tee" ≤ 3 letters: no edits allowed
  expect(findProducts('two classic tee shirts', catalog).map((p) => p.productId)).toEqual(['p3']);
});
