/**
 * Top-k ranking metrics for implicit feedback with binary relevance, as defined in the
 * OR-NOV2011 protocol: P@k = hits/k, R@k = hits/|rel|, NDCG@k with DCG = Σ 1/log2(rank+1) and the
 * ideal DCG over min(|rel|, k) hits (Järvelin & Kekäläinen 2002, ACM TOIS 20(4)), HR@k = 1 if any hit.
 */
export interface RankingMetrics {
  precision: number;
  recall: number;
  ndcg: number;
  hitRate: number;
}

/** Metrics of one ranked list against one customer's relevant set. */
export function rankingMetrics<T>(ranked: readonly T[], relevant: ReadonlySet<T>, k: number): RankingMetrics {
  if (relevant.size === 0) throw new Error('rankingMetrics needs at least one relevant item');
  let hits = 0;
  let dcg = 0;
  const top = ranked.slice(0, k);
  top.forEach((item, r) => {
    if (relevant.has(item)) {
      hits++;
      dcg += 1 / Math.log2(r + 2);
    }
  });
  let idcg = 0;
  for (let r = 0; r < Math.min(relevant.size, k); r++) idcg += 1 / Math.log2(r + 2);
  return { precision: hits / k, recall: hits / relevant.size, ndcg: dcg / idcg, hitRate: hits > 0 ? 1 : 0 };
}

/** Macro average over customers. */
export function meanRankingMetrics(perCustomer: readonly RankingMetrics[]): RankingMetrics {
  const n = perCustomer.length || 1;
  const sum = (f: (m: RankingMetrics) => number) => perCustomer.reduce((s, m) => s + f(m), 0) / n;
  return { precision: sum((m) => m.precision), recall: sum((m) => m.recall), ndcg: sum((m) => m.ndcg), hitRate: sum((m) => m.hitRate) };
}
