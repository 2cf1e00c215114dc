/**
 * "Frequently bought together": pairwise association rules a → b mined from baskets (orders),
 * with support n_ab, confidence P(b | a) = n_ab / n_a and lift = n_ab·N / (n_a·n_b)
 * (Agrawal, Imieliński & Swami 1993, SIGMOD; lift as "interest", Brin et al. 1997, SIGMOD §2).
 * Only rules with lift > 1 (the pair co-occurs more than chance) and enough support are kept, the
 * top-N per item by confidence. For a whole basket the rules are combined by noisy-or,
 * 1 − Π_a (1 − conf(a → b)): each basket item is an independent chance to prompt b.
 */
import type { PurchaseLine } from './interactions.js';

export interface BoughtTogetherRule {
  /** Index into the model's `items`. */
  item: number;
  support: number;
  confidence: number;
  lift: number;
}

export interface BoughtTogetherModel {
  kind: 'bought-together';
  items: string[];
  baskets: number;
  /** Per item: rules item → other, by descending confidence. */
  rules: BoughtTogetherRule[][];
}

export interface BoughtTogetherOptions {
  /** Baskets a pair must share. Default 3. */
  minSupport?: number;
  /** Rules kept per item. Default 30. */
  topN?: number;
  /** Baskets bigger than this are wholesale restocks, not "together" signals. Default 100. */
  maxBasketSize?: number;
}

export function fitBoughtTogether(lines: readonly PurchaseLine[], opts: BoughtTogetherOptions = {}): BoughtTogetherModel {
  const minSupport = opts.minSupport ?? 3;
  const topN = opts.topN ?? 30;
  const maxBasketSize = opts.maxBasketSize ?? 100;
  const itemIndex = new Map<string, number>();
  const items: string[] = [];
  const basketSets = new Map<string, Set<number>>();
  for (const l of lines) {
    let i = itemIndex.get(l.itemId);
    if (i === undefined) {
      i = items.length;
      itemIndex.set(l.itemId, i);
      items.push(l.itemId);
    }
    let set = basketSets.get(l.basketId);
    if (!set) basketSets.set(l.basketId, (set = new Set()));
    set.add(i);
  }
  const baskets = [...basketSets.values()].filter((b) => b.size <= maxBasketSize).map((b) => [...b]);
  const n = items.length;
  const basketsOf: number[][] = items.map(() => []);
  baskets.forEach((b, k) => b.forEach((i) => (basketsOf[i] as number[]).push(k)));
  const count = basketsOf.map((b) => b.length);
  const total = baskets.length;
  const co = new Float64Array(n);
  const rules: BoughtTogetherRule[][] = [];
  for (let a = 0; a < n; a++) {
    co.fill(0);
    for (const k of basketsOf[a] as number[]) for (const b of baskets[k] as number[]) co[b] = (co[b] as number) + 1;
    const na = count[a] as number;
    const out: BoughtTogetherRule[] = [];
    for (let b = 0; b < n; b++) {
      const support = co[b] as number;
      if (b === a || support < minSupport) continue;
      const lift = (support * total) / (na * (count[b] as number));
      if (lift > 1) out.push({ item: b, support, confidence: support / na, lift });
    }
    out.sort((x, y) => y.confidence - x.confidence || y.lift - x.lift || x.item - y.item);
    rules.push(out.slice(0, topN));
  }
  return { kind: 'bought-together', items, baskets: total, rules };
}

export interface BasketSuggestion {
  itemId: string;
  /** Noisy-or of the rules' confidences: the chance at least one basket item prompts this one. */
  score: number;
  /** The strongest rule behind it, for "bought together with X (lift 4.2)". */
  because: { itemId: string; confidence: number; lift: number; support: number };
}

/** Items to add to a basket, excluding what is already in it. */
export function suggestForBasket(model: BoughtTogetherModel, basket: readonly string[], k: number): BasketSuggestion[] {
  const index = new Map(model.items.map((id, i) => [id, i]));
  const inBasket = new Set(basket);
  const miss = new Map<number, number>();
  const best = new Map<number, { from: number; rule: BoughtTogetherRule }>();
  for (const id of inBasket) {
    const a = index.get(id);
    if (a === undefined) continue;
    for (const rule of model.rules[a] ?? []) {
      if (inBasket.has(model.items[rule.item] as string)) continue;
      miss.set(rule.item, (miss.get(rule.item) ?? 1) * (1 - rule.confidence));
      const prev = best.get(rule.item);
      if (!prev || rule.confidence > prev.rule.confidence) best.set(rule.item, { from: a, rule });
    }
  }
  return [...miss.entries()]
    .map(([b, m]) => {
      const { from, rule } = best.get(b) as { from: number; rule: BoughtTogetherRule };
      return {
        itemId: model.items[b] as string,
        score: 1 - m,
        because: { itemId: model.items[from] as string, confidence: rule.confidence, lift: rule.lift, support: rule.support },
      };
    })
    .sort((x, y) => y.score - x.score || (x.itemId < y.itemId ? -1 : 1))
    .slice(0, k);
}
