/**
 * Popularity, the fallback for customers with no history: distinct buyers per item, each buyer
 * weighted by how recently they last bought it, w = 2^(−age/halfLife). A finite half-life tracks
 * seasonal demand (this gift shop's Q4 peak); an infinite one is the classic MostPop baseline
 * (Cremonesi, Koren & Turrin 2010, RecSys, §4.1).
 */
import type { PurchaseLine } from './interactions.js';
import type { ItemSignals } from './blend-features.js';

export interface PopularityModel {
  kind: 'popularity';
  items: string[];
  /** Score per item, aligned with `items`. */
  score: number[];
}

export interface PopularityOptions {
  halfLifeDays?: number;
  /** Defaults to the latest purchase in `lines`. */
  asOf?: number;
}

const DAY_MS = 86_400_000;

export function fitPopularity(lines: readonly PurchaseLine[], items: readonly string[], opts: PopularityOptions = {}): PopularityModel {
  const halfLife = opts.halfLifeDays ?? Infinity;
  let asOf = opts.asOf ?? -Infinity;
  if (opts.asOf === undefined) for (const l of lines) if (l.at > asOf) asOf = l.at;
  const lastBuy = new Map<string, number>();
  for (const l of lines) {
    const key = `${l.itemId}\u0000${l.customerId}`;
    const prev = lastBuy.get(key);
    if (prev === undefined || l.at > prev) lastBuy.set(key, l.at);
  }
  const index = new Map(items.map((id, i) => [id, i]));
  const score = items.map(() => 0);
  const rate = Number.isFinite(halfLife) ? Math.LN2 / (halfLife * DAY_MS) : 0;
  for (const [key, at] of lastBuy) {
    const i = index.get(key.slice(0, key.indexOf('\u0000')));
    if (i !== undefined) score[i] = (score[i] as number) + Math.exp(-rate * Math.max(0, asOf - at));
  }
  return { kind: 'popularity', items: items.slice(), score };
}

/**
 * Item-level signals for the blend (see blend-features.ts): all-time distinct buyers, recent
 * buyers (half-life `trendHalfLifeDays`, default 30: the Q4 gift season moves fast), and the share
 * of buyers who came back for the item in a second order.
 */
export function fitItemSignals(
  lines: readonly PurchaseLine[], items: readonly string[], opts: { asOf: number; trendHalfLifeDays?: number },
): ItemSignals {
  const popularity = fitPopularity(lines, items, { asOf: opts.asOf }).score;
  const recentPopularity = fitPopularity(lines, items, { asOf: opts.asOf, halfLifeDays: opts.trendHalfLifeDays ?? 30 }).score;
  const ordersByPair = new Map<string, Set<string>>();
  for (const l of lines) {
    const key = `${l.itemId}\u0000${l.customerId}`;
    let set = ordersByPair.get(key);
    if (!set) ordersByPair.set(key, (set = new Set()));
    set.add(l.basketId);
  }
  const index = new Map(items.map((id, i) => [id, i]));
  const repeaters = items.map(() => 0);
  for (const [key, set] of ordersByPair) {
    const i = index.get(key.slice(0, key.indexOf('\u0000')));
    if (i !== undefined && set.size >= 2) repeaters[i] = (repeaters[i] as number) + 1;
  }
  const repeatRate = repeaters.map((r, i) => ((popularity[i] as number) > 0 ? r / (popularity[i] as number) : 0));
  return { popularity, recentPopularity, repeatRate };
}
