import { test, expect } from 'vitest';
import { seededRandom } from '../random.js';
import type { PurchaseLine } from './interactions.js';
import { BLEND_FEATURES } from './blend-features.js';
import { alsoBought, boughtTogether, fitRecommender, recommendForCustomer, type RecommenderModel } from './recommender.js';

const DAY = 86_400_000;

/** 60 customers over 120 days: each restocks a staple (tea or candles) and often buys mug + saucer together. */
function shop(): PurchaseLine[] {
  const random = seededRandom(7);
  const lines: PurchaseLine[] = [];
  const extras = ['card', 'lamp', 'ribbon', 'tin', 'jar', 'bag'];
  for (let c = 0; c < 60; c++) {
    const staple = c % 2 === 0 ? 'tea' : 'candle';
    for (let day = random.int(10); day < 120; day += 10 + random.int(15)) {
      const basketId = `${c}-${day}`;
      const add = (itemId: string) => lines.push({ customerId: `c${c}`, itemId, basketId, at: day * DAY });
      add(staple);
      if (random.next() < 0.5) {
        add('mug');
        if (random.next() < 0.8) add('saucer');
      }
      if (random.next() < 0.4) add(extras[random.int(extras.length)] as string);
    }
  }
  return lines;
}

const catalog = [
  { itemId: 'vase', description: 'BLUE GLASS FLOWER VASE' },
  { itemId: 'lamp', description: 'BLUE GLASS TABLE LAMP' },
  { itemId: 'mug', description: 'RED RETROSPOT MUG' },
];
const lines = shop();
const model = fitRecommender(lines, { catalog, lambda: 10, blendHoldoutDays: 30 });
const teaDrinker = lines.filter((l) => l.customerId === 'c0').map(({ itemId, at, basketId }) => ({ itemId, at, basketId }));

test('a regular buyer is offered their staple first, with the reasons behind it', () => {
  const [first] = recommendForCustomer(model, teaDrinker, { k: 5 });
  expect(first?.itemId).toBe('tea');
  expect(first?.reasons.length).toBeGreaterThan(0);
  for (const r of first?.reasons ?? []) expect(BLEND_FEATURES).toContain(r.feature);
});

test('excludeOwned recommends only items the customer never bought', () => {
  const owned = new Set(teaDrinker.map((p) => p.itemId));
  const recs = recommendForCustomer(model, teaDrinker, { k: 5, excludeOwned: true });
  expect(recs.length).toBeGreaterThan(0);
  for (const r of recs) expect(owned.has(r.itemId)).toBe(false);
});

test('a new customer gets what most customers are buying now', () => {
  // Nearly every customer buys mugs and saucers; tea and candles each have half of them.
  const recs = recommendForCustomer(model, [{ itemId: 'never-seen', at: 0 }], { k: 2 });
  expect(recs.map((r) => r.itemId)).toEqual(['mug', 'saucer']);
  expect(recs[0]?.reasons[0]?.feature).toBe('trendingNow');
});

test('customers who bought a mug also bought a saucer; a never-sold vase falls back to its description', () => {
  expect(alsoBought(model, 'mug', 1)[0]).toMatchObject({ itemId: 'saucer', basis: 'co-purchase' });
  expect(alsoBought(model, 'vase', 1)[0]).toMatchObject({ itemId: 'lamp', basis: 'description' });
  expect(alsoBought(model, 'unknown', 3)).toEqual([]);
});

test('a basket with a mug suggests the saucer', () => {
  const [top] = boughtTogether(model, ['mug'], 2);
  expect(top?.itemId).toBe('saucer');
  expect(top?.because.lift).toBeGreaterThan(1);
});

test('the fitted model survives a JSON round trip', () => {
  const loaded = JSON.parse(JSON.stringify(model)) as RecommenderModel;
  expect(recommendForCustomer(loaded, teaDrinker, { k: 5 })).toEqual(recommendForCustomer(model, teaDrinker, { k: 5 }));
  expect(alsoBought(loaded, 'vase', 2)).toEqual(alsoBought(model, 'vase', 2));
});
