/**
 * The named signals the personalised ranker blends for one customer: the customer's own buying of
 * an item (how often, in how many orders, how long ago — repeat purchase dominates B2B
 * replenishment, cf. Bhagat et al. 2018, "Buy It Again", KDD), the collaborative score
 * (EASE, `ease.ts`), and item-level popularity, trend and repeat rate. Candidates are the
 * customer's own items plus the top of the collaborative and trending lists (two-stage
 * retrieval-then-rank, Covington, Adams & Sargin 2016, RecSys §3–4), so ranking stays cheap.
 */
import type { CustomerPurchase, SparseNeighbours } from './interactions.js';
import { topK } from './interactions.js';
import { accumulateNeighbourScores } from './item-similarity.js';

export const BLEND_FEATURES = [
  'boughtBefore',
  'timesBought',
  'ordersWithItem',
  'daysSinceLastBought',
  'shareOfOrders',
  'boughtWithYourItems',
  'trendingNow',
  'popularOverall',
  'itemRepeatRate',
] as const;
export type BlendFeature = (typeof BLEND_FEATURES)[number];

/** Item-level signals, aligned with the model's item list. */
export interface ItemSignals {
  /** Distinct buyers over the whole history. */
  popularity: number[];
  /** Distinct buyers weighted by recency of their last purchase (see popularity.ts). */
  recentPopularity: number[];
  /** Share of an item's buyers who bought it in two or more orders. */
  repeatRate: number[];
}

export interface CandidateFeatures {
  items: number[];
  rows: number[][];
}

export interface CandidateOptions {
  asOf: number;
  excludeOwned: boolean;
  /** How many top collaborative and top trending items join the customer's own. Default 100. */
  candidatesPerSource?: number;
}

const DAY_MS = 86_400_000;

export function candidateFeatures(
  itemIndex: ReadonlyMap<string, number>, collaborative: SparseNeighbours, signals: ItemSignals,
  history: readonly CustomerPurchase[], opts: CandidateOptions,
): CandidateFeatures {
  const n = signals.popularity.length;
  const lines = new Map<number, number>();
  const orders = new Map<number, Set<string>>();
  const lastAt = new Map<number, number>();
  const allOrders = new Set<string>();
  for (const p of history) {
    const i = itemIndex.get(p.itemId);
    // Without a basket id, one calendar day stands for one order.
    const order = p.basketId ?? String(Math.floor(p.at / DAY_MS));
    allOrders.add(order);
    if (i === undefined) continue;
    lines.set(i, (lines.get(i) ?? 0) + 1);
    let set = orders.get(i);
    if (!set) orders.set(i, (set = new Set()));
    set.add(order);
    lastAt.set(i, Math.max(lastAt.get(i) ?? -Infinity, p.at));
  }
  const owned = [...lines.keys()];
  const collab = accumulateNeighbourScores(collaborative, owned, new Float64Array(n));
  let maxCollab = 0;
  for (const v of collab) if (v > maxCollab) maxCollab = v;
  const per = opts.candidatesPerSource ?? 100;
  const skip = opts.excludeOwned ? new Set(owned) : undefined;
  const candidates = new Set<number>(opts.excludeOwned ? [] : owned);
  for (const i of topK(collab, per, skip)) if ((collab[i] as number) > 0) candidates.add(i);
  for (const i of topK(signals.recentPopularity, per, skip)) candidates.add(i);

  const logMaxPop = Math.log1p(Math.max(...signals.popularity, 0)) || 1;
  const logMaxRecent = Math.log1p(Math.max(...signals.recentPopularity, 0)) || 1;
  const items = [...candidates].sort((a, b) => a - b);
  const rows = items.map((i) => {
    const timesBought = lines.get(i) ?? 0;
    const inOrders = orders.get(i)?.size ?? 0;
    const bought = timesBought > 0;
    return [
      bought ? 1 : 0,
      Math.log1p(timesBought),
      Math.log1p(inOrders),
      bought ? Math.log1p(Math.max(0, opts.asOf - (lastAt.get(i) as number)) / DAY_MS) : 0,
      allOrders.size > 0 ? inOrders / allOrders.size : 0,
      maxCollab > 0 ? Math.max(0, collab[i] as number) / maxCollab : 0,
      Math.log1p(signals.recentPopularity[i] as number) / logMaxRecent,
      Math.log1p(signals.popularity[i] as number) / logMaxPop,
      signals.repeatRate[i] as number,
    ];
  });
  return { items, rows };
}
