import { test, expect } from 'vitest';
import { buildInteractions, topK, type PurchaseLine } from './interactions.js';
import { accumulateNeighbourScores, fitItemSimilarity } from './item-similarity.js';

const buy = (customerId: string, itemId: string): PurchaseLine => ({ customerId, itemId, basketId: customerId, at: 0 });

test('cosine on binary co-purchase: |U_i ∩ U_j| / √(|U_i||U_j|)', () => {
  // a: {u1,u2}, b: {u1,u3}, c: {u3} → sim(a,b) = 1/2, sim(b,c) = 1/√2, sim(a,c) = 0.
  const x = buildInteractions([buy('u1', 'a'), buy('u1', 'b'), buy('u2', 'a'), buy('u3', 'b'), buy('u3', 'c')]);
  const model = fitItemSimilarity(x, { topN: 5 });
  const [a, b, c] = ['a', 'b', 'c'].map((id) => x.itemIndex.get(id) as number) as [number, number, number];
  expect(model.index[a]).toEqual([b]);
  expect(model.weight[a]?.[0]).toBeCloseTo(0.5, 12);
  expect(model.index[b]).toEqual([c, a]);
  expect(model.weight[b]?.[0]).toBeCloseTo(Math.SQRT1_2, 12);
  // A customer who owns a and c scores b with 1/2 + 1/√2.
  const scores = accumulateNeighbourScores(model, [a, c], new Float64Array(3));
  expect(scores[b]).toBeCloseTo(0.5 + Math.SQRT1_2, 12);
  expect(topK(scores, 1, new Set([a, c]))).toEqual([b]);
});

test('minCoBuyers drops pairs seen once and topN caps the lists', () => {
  const x = buildInteractions([buy('u1', 'a'), buy('u1', 'b'), buy('u2', 'a'), buy('u2', 'b'), buy('u3', 'a'), buy('u3', 'c')]);
  const model = fitItemSimilarity(x, { topN: 1, minCoBuyers: 2 });
  expect(model.index[x.itemIndex.get('a') as number]).toEqual([x.itemIndex.get('b')]);
  expect(model.index[x.itemIndex.get('c') as number]).toEqual([]);
});

test('topK returns the largest scores, ties by lower index, skipping excluded items', () => {
  expect(topK([0.1, 0.9, 0.5, 0.9, 0.3], 3)).toEqual([1, 3, 2]);
  expect(topK([0.1, 0.9, 0.5, 0.9, 0.3], 2, new Set([1]))).toEqual([3, 2]);
  expect(topK([1, 2], 5)).toEqual([1, 0]);
});
