/**
 * Item-based collaborative filtering, "customers who bought this also bought": cosine similarity
 * between item columns of the binary customer × item matrix, sim(i, j) = |U_i ∩ U_j| / √(|U_i|·|U_j|)
 * (Sarwar, Karypis, Konstan & Riedl 2001, WWW, §3.1.1; Deshpande & Karypis 2004, ACM TOIS 22(1),
 * §4.1 for top-N item neighbourhoods). A customer's score for item j is Σ_{i ∈ history} sim(i, j).
 */
import type { InteractionMatrix, SparseNeighbours } from './interactions.js';
import { topEntries } from './interactions.js';

export interface ItemSimilarityModel extends SparseNeighbours {
  kind: 'item-cosine';
  items: string[];
}

export interface ItemSimilarityOptions {
  /** Neighbours kept per item (JSON size); Infinity keeps every non-zero similarity. Default 100. */
  topN?: number;
  /** Co-buyers required before a pair counts: one shared customer is noise. Default 1. */
  minCoBuyers?: number;
}

/** Co-occurrence counts per item via its buyers' rows; cost Σ_u |row_u|², fine for shop-sized data. */
export function fitItemSimilarity(x: InteractionMatrix, opts: ItemSimilarityOptions = {}): ItemSimilarityModel {
  const topN = opts.topN ?? 100;
  const minCoBuyers = opts.minCoBuyers ?? 1;
  const n = x.items.length;
  const buyersOf = itemBuyers(x);
  const co = new Float64Array(n);
  const index: number[][] = [];
  const weight: number[][] = [];
  for (let i = 0; i < n; i++) {
    co.fill(0);
    for (const u of buyersOf[i] as number[]) for (const j of x.rows[u] as Int32Array) co[j] = (co[j] as number) + 1;
    const bi = x.buyers[i] as number;
    for (let j = 0; j < n; j++) {
      const c = co[j] as number;
      co[j] = c >= minCoBuyers && c > 0 ? c / Math.sqrt(bi * (x.buyers[j] as number)) : 0;
    }
    const kept = topEntries(co, topN, i);
    index.push(kept.index);
    weight.push(kept.weight);
  }
  return { kind: 'item-cosine', items: x.items.slice(), index, weight };
}

/** Column lists of X: the customers who bought each item. */
export function itemBuyers(x: InteractionMatrix): number[][] {
  const out: number[][] = x.items.map(() => []);
  x.rows.forEach((row, u) => {
    for (const i of row) (out[i] as number[]).push(u);
  });
  return out;
}

/**
 * Adds Σ_{i ∈ history} w(i, j) into `scores` for every neighbour j of the history's items: the
 * scoring rule shared by item-cosine and EASE (whose B is also an item × item weight matrix).
 */
export function accumulateNeighbourScores(model: SparseNeighbours, history: readonly number[], scores: Float64Array): Float64Array {
  for (const i of history) {
    const idx = model.index[i];
    const w = model.weight[i];
    if (!idx || !w) continue;
    for (let t = 0; t < idx.length; t++) {
      const j = idx[t] as number;
      scores[j] = (scores[j] as number) + (w[t] as number);
    }
  }
  return scores;
}
