import { test, expect } from 'vitest';
import { meanRankingMetrics, rankingMetrics } from './ranking-metrics.js';

test('P, R, binary NDCG and HR at k as in OR-NOV2011', () => {
  // One hit at rank 2 of 3; two relevant items: DCG = 1/log2(3), IDCG = 1 + 1/log2(3).
  const m = rankingMetrics(['a', 'b', 'c'], new Set(['b', 'd']), 3);
  expect(m.precision).toBeCloseTo(1 / 3, 12);
  expect(m.recall).toBeCloseTo(0.5, 12);
  expect(m.ndcg).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)), 12);
  expect(m.hitRate).toBe(1);
  expect(rankingMetrics(['x'], new Set(['a']), 10)).toEqual({ precision: 0, recall: 0, ndcg: 0, hitRate: 0 });
  expect(rankingMetrics(['a', 'b'], new Set(['a', 'b']), 2).ndcg).toBeCloseTo(1, 12);
});

test('macro average over customers', () => {
  const a = { precision: 0.2, recall: 1, ndcg: 1, hitRate: 1 };
  const b = { precision: 0, recall: 0, ndcg: 0, hitRate: 0 };
  expect(meanRankingMetrics([a, b])).toEqual({ precision: 0.1, recall: 0.5, ndcg: 0.5, hitRate: 0.5 });
});
