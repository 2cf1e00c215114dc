/**
 * The storefront's recommender: one fitted, JSON-serialisable model behind three questions.
 * - `recommendForCustomer`: EASE (Steck 2019, `ease.ts`) blended with the customer's own repeat
 *   buying and item trends by a logistic ranker (`logistic-blend.ts`), whose weights are learned on
 *   the last `blendHoldoutDays` of the training data only (fit on what came before, label by what
 *   was bought after), so no hand-set weights and no peeking at the evaluation period. New
 *   customers fall back to trending items (distinct buyers weighted by recency).
 * - `alsoBought`: item-item cosine neighbours (`item-similarity.ts`), or description neighbours
 *   (`content.ts`) for items nobody has bought yet.
 * - `boughtTogether`: basket association rules with lift (`bought-together.ts`).
 */
import type { CustomerPurchase, PurchaseLine, SparseNeighbours } from './interactions.js';
import { buildInteractions, topK, type InteractionMatrix } from './interactions.js';
import { fitEase } from './ease.js';
import { fitItemSimilarity, type ItemSimilarityModel } from './item-similarity.js';
import { fitItemSignals } from './popularity.js';
import { BLEND_FEATURES, candidateFeatures, type ItemSignals } from './blend-features.js';
import { blendContributions, blendScore, fitLogisticBlend, type LogisticBlend } from './logistic-blend.js';
import { fitBoughtTogether, suggestForBasket, type BasketSuggestion, type BoughtTogetherModel } from './bought-together.js';
import { fitContentSimilarity, similarByDescription, type CatalogItem, type ContentModel } from './content.js';

export interface RecommenderBlends {
  /** Ranks everything, the customer's own items included ("buy again" and new). */
  anyItem: LogisticBlend;
  /** Ranks only items the customer has never bought ("discover"). */
  newItems: LogisticBlend;
}

export interface RecommenderModel {
  kind: 'recommender';
  /** Epoch ms the model describes the shop at (recency features are measured from here). */
  asOf: number;
  items: string[];
  collaborative: SparseNeighbours & { lambda: number };
  signals: ItemSignals;
  blends: RecommenderBlends;
  similar: ItemSimilarityModel;
  together: BoughtTogetherModel;
  content: ContentModel | null;
}

export interface RecommenderOptions {
  /** Defaults to the latest purchase. */
  asOf?: number;
  /** Descriptions, for the content fallback of items without purchases. */
  catalog?: readonly CatalogItem[];
  /** EASE L2 weight λ. Default 400 (tuned on the Online Retail validation month). */
  lambda?: number;
  easeMinBuyers?: number;
  easeMaxItems?: number;
  trendHalfLifeDays?: number;
  candidatesPerSource?: number;
  /** Days at the end of the data used to learn the blend weights. Default 30. */
  blendHoldoutDays?: number;
  /** Pre-learned blend weights (skips the holdout fit, e.g. when refitting nightly). */
  blends?: RecommenderBlends;
}

const DAY_MS = 86_400_000;

interface RankingParts {
  x: InteractionMatrix;
  items: string[];
  itemIndex: Map<string, number>;
  collaborative: SparseNeighbours & { lambda: number };
  signals: ItemSignals;
}

function fitRankingParts(lines: readonly PurchaseLine[], asOf: number, opts: RecommenderOptions): RankingParts {
  const x = buildInteractions(lines);
  const ease = fitEase(x, { lambda: opts.lambda ?? 400, minBuyers: opts.easeMinBuyers ?? 3, maxItems: opts.easeMaxItems ?? 4000, topN: 300 });
  const signals = fitItemSignals(lines, x.items, { asOf, trendHalfLifeDays: opts.trendHalfLifeDays ?? 30 });
  return { x, items: x.items, itemIndex: x.itemIndex, collaborative: { index: ease.index, weight: ease.weight, lambda: ease.lambda }, signals };
}

/** Customer histories keyed by customer id. */
function historiesOf(lines: readonly PurchaseLine[]): Map<string, CustomerPurchase[]> {
  const out = new Map<string, CustomerPurchase[]>();
  for (const l of lines) {
    let h = out.get(l.customerId);
    if (!h) out.set(l.customerId, (h = []));
    h.push({ itemId: l.itemId, at: l.at, basketId: l.basketId });
  }
  return out;
}

/**
 * Learns the blend weights: ranking parts fitted on lines before the holdout, features per
 * returning customer, label = bought the candidate during the holdout.
 */
export function learnBlends(lines: readonly PurchaseLine[], holdoutStart: number, opts: RecommenderOptions = {}): RecommenderBlends {
  const before = lines.filter((l) => l.at < holdoutStart);
  const parts = fitRankingParts(before, holdoutStart, opts);
  const boughtLater = new Map<string, Set<number>>();
  for (const l of lines) {
    if (l.at < holdoutStart) continue;
    const i = parts.itemIndex.get(l.itemId);
    if (i === undefined) continue;
    let set = boughtLater.get(l.customerId);
    if (!set) boughtLater.set(l.customerId, (set = new Set()));
    set.add(i);
  }
  const histories = historiesOf(before);
  const learn = (excludeOwned: boolean): LogisticBlend => {
    const rows: number[][] = [];
    const labels: (0 | 1)[] = [];
    for (const [customerId, later] of boughtLater) {
      const history = histories.get(customerId);
      if (!history) continue;
      const f = candidateFeatures(parts.itemIndex, parts.collaborative, parts.signals, history, {
        asOf: holdoutStart, excludeOwned, candidatesPerSource: opts.candidatesPerSource,
      });
      f.items.forEach((i, r) => {
        rows.push(f.rows[r] as number[]);
        labels.push(later.has(i) ? 1 : 0);
      });
    }
    return fitLogisticBlend([...BLEND_FEATURES], rows, labels);
  };
  return { anyItem: learn(false), newItems: learn(true) };
}

export function fitRecommender(lines: readonly PurchaseLine[], opts: RecommenderOptions = {}): RecommenderModel {
  let asOf = opts.asOf ?? -Infinity;
  if (opts.asOf === undefined) for (const l of lines) if (l.at > asOf) asOf = l.at;
  const blends = opts.blends ?? learnBlends(lines, asOf - (opts.blendHoldoutDays ?? 30) * DAY_MS, opts);
  const parts = fitRankingParts(lines, asOf, opts);
  const x = parts.x;
  return {
    kind: 'recommender',
    asOf,
    items: parts.items,
    collaborative: parts.collaborative,
    signals: parts.signals,
    blends,
    similar: fitItemSimilarity(x, { topN: 50, minCoBuyers: 2 }),
    together: fitBoughtTogether(lines),
    content: opts.catalog ? fitContentSimilarity(opts.catalog) : null,
  };
}

const indexCache = new WeakMap<readonly string[], Map<string, number>>();
function indexOf(items: readonly string[]): Map<string, number> {
  let map = indexCache.get(items);
  if (!map) indexCache.set(items, (map = new Map(items.map((id, i) => [id, i]))));
  return map;
}

export interface Recommendation {
  itemId: string;
  /** Blend log-odds; comparable within one customer's list. */
  score: number;
  /** Signals that pushed this item up, strongest first (feature names from BLEND_FEATURES). */
  reasons: { feature: string; contribution: number }[];
}

export interface RecommendOptions {
  k: number;
  /** Only items the customer has never bought. Default false ("buy again" allowed). */
  excludeOwned?: boolean;
  /** Defaults to the model's asOf. */
  asOf?: number;
}

export function recommendForCustomer(model: RecommenderModel, history: readonly CustomerPurchase[], opts: RecommendOptions): Recommendation[] {
  const itemIndex = indexOf(model.items);
  if (!history.some((p) => itemIndex.has(p.itemId))) return popularFallback(model, opts.k);
  const excludeOwned = opts.excludeOwned ?? false;
  const blend = excludeOwned ? model.blends.newItems : model.blends.anyItem;
  const f = candidateFeatures(itemIndex, model.collaborative, model.signals, history, { asOf: opts.asOf ?? model.asOf, excludeOwned });
  const ranked = f.items
    .map((i, r) => ({ i, row: f.rows[r] as number[], score: blendScore(blend, f.rows[r] as number[]) }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, opts.k);
  return ranked.map(({ i, row, score }) => ({
    itemId: model.items[i] as string,
    score,
    reasons: blendContributions(blend, row).filter((c) => c.contribution > 0).slice(0, 3),
  }));
}

/**
 * New customers: what is selling now (recency-weighted distinct buyers). The learned blend is not
 * used here because its popularity weights are conditioned on a history being present.
 */
function popularFallback(model: RecommenderModel, k: number): Recommendation[] {
  const trend = model.signals.recentPopularity;
  return topK(trend, k).map((i) => ({
    itemId: model.items[i] as string,
    score: trend[i] as number,
    reasons: [{ feature: 'trendingNow', contribution: trend[i] as number }],
  }));
}

export interface SimilarItem {
  itemId: string;
  similarity: number;
  basis: 'co-purchase' | 'description';
}

/** "Customers who bought this also bought"; description-based for items without purchases. */
export function alsoBought(model: RecommenderModel, itemId: string, k: number): SimilarItem[] {
  const i = indexOf(model.similar.items).get(itemId);
  const neighbours = i === undefined ? [] : (model.similar.index[i] ?? []);
  if (neighbours.length > 0 && i !== undefined) {
    const w = model.similar.weight[i] as number[];
    return neighbours.slice(0, k).map((j, t) => ({ itemId: model.similar.items[j] as string, similarity: w[t] as number, basis: 'co-purchase' }));
  }
  if (!model.content) return [];
  return similarByDescription(model.content, itemId, k).map((s) => ({ ...s, basis: 'description' }));
}

/** "Frequently bought together" with the items already in the basket. */
export function boughtTogether(model: RecommenderModel, basket: readonly string[], k: number): BasketSuggestion[] {
  return suggestForBasket(model.together, basket, k);
}
