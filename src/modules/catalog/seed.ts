import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { parseVaderLexicon, scoreVader, type VaderLexicon } from '../../intelligence/text/sentiment/index.js';
import type { Random } from '../../intelligence/random.js';
import type { Seeder, SeedContext } from '../../platform/seed.js';
import { newId } from '../../platform/ids.js';
import { publish } from '../../platform/events/outbox.js';
import { catalogChanged } from './events.js';
import { handleize } from './html.js';
import { categories, collections, prices, productCategories, productImages, products, reviews, variants } from './schema.js';
import { ADJECTIVES, CATEGORY_TREE, KINDS, MATERIALS, REVIEW_TEXT, TAGS, VENDORS } from './seed-data.js';
import { demoImages } from './seed-images.js';

/** USD list price → EUR and GBP list prices at fixed demo rates, ending in 99 like shop prices do. */
const RATES = { EUR: 0.92, GBP: 0.79 };
const charm = (amount: number) => Math.max(99, Math.round(amount / 100) * 100 - 1);
const BATCH = 500;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[random.int(items.length)] as T;
}

let lexicon: VaderLexicon | null = null;
/** Review text whose sentiment (VADER compound) agrees with its stars, so the sentiment model has honest data. */
function reviewFor(random: Random, rating: number): { title: string; body: string } {
  lexicon ??= parseVaderLexicon(gunzipSync(readFileSync(resolve(import.meta.dirname, '../../../assets/vader_lexicon.txt.gz'))).toString('utf8'));
  const mood = rating >= 4 ? 'good' : rating === 3 ? 'ok' : 'bad';
  for (let attempt = 0; attempt < 10; attempt++) {
    const title = pick(random, REVIEW_TEXT[mood].titles);
    const body = pick(random, REVIEW_TEXT[mood].bodies);
    const c = scoreVader(`${title}. ${body}`, lexicon).compound;
    if ((mood === 'good' && c >= 0.3) || (mood === 'bad' && c <= -0.3) || (mood === 'ok' && c > -0.5 && c < 0.6)) return { title, body };
  }
  return { title: REVIEW_TEXT[mood].titles[0] as string, body: REVIEW_TEXT[mood].bodies[0] as string };
}

async function seedCatalog(ctx: SeedContext): Promise<void> {
  const { database, random } = ctx;
  const total = ctx.sizes.products ?? 500;
  const db = database.db;
  const leafIds = new Map<string, string>();
  let position = 0;
  for (const root of CATEGORY_TREE) {
    const rootId = newId();
    await db.insert(categories).values({ id: rootId, handle: handleize(root.name), name: root.name, position: position++ });
    for (const [i, child] of root.children.entries()) {
      const id = newId();
      leafIds.set(child, id);
      await db.insert(categories).values({ id, handle: handleize(child), name: child, parentId: rootId, position: i });
    }
  }
  const images = await demoImages(ctx, [...leafIds.keys()]);
  const leaves = [...leafIds.keys()];
  const bar = ctx.progress('catalog products', total);
  const now = Date.now();
  for (let start = 0; start < total; start += BATCH) {
    const rows: (typeof products.$inferInsert)[] = [];
    const variantRows: (typeof variants.$inferInsert)[] = [];
    const priceRows: (typeof prices.$inferInsert)[] = [];
    const categoryRows: (typeof productCategories.$inferInsert)[] = [];
    const imageRows: (typeof productImages.$inferInsert)[] = [];
    const reviewRows: (typeof reviews.$inferInsert)[] = [];
    for (let n = start; n < Math.min(total, start + BATCH); n++) {
      const leaf = leaves[n % leaves.length] as string;
      const kind = KINDS[leaf] as (typeof KINDS)[string];
      const id = newId(now - (total - n) * 60_000);
      const title = `${pick(random, ADJECTIVES)} ${pick(random, kind.nouns)}`;
      const vendor = pick(random, VENDORS);
      const material = pick(random, MATERIALS);
      const tags = random.sample(TAGS, 1 + random.int(3));
      const handle = `${handleize(title)}-${n + 1}`;
      const ratingCount = random.int(6);
      const ratings = Array.from({ length: ratingCount }, () => Math.min(5, Math.max(1, Math.round(4 + random.normal()))));
      rows.push({
        id, handle, title, status: n % 25 === 24 ? 'draft' : 'published', productType: kind.type, vendor, tags,
        descriptionHtml: `<p>Our ${title.toLowerCase()} is made from ${material} by ${vendor}. Designed to last, easy to care for.</p><ul><li>Material: ${material}</li><li>Ships in 1–2 days</li></ul>`,
        seoTitle: `${title} | ${vendor}`, attributes: [{ key: 'material', type: 'text', value: material }],
        options: kind.options, salesCount: random.int(500), ratingSum: ratings.reduce((a, b) => a + b, 0), ratingCount,
        createdAt: new Date(now - (total - n) * 60_000).toISOString(),
      });
      categoryRows.push({ productId: id, categoryId: leafIds.get(leaf) as string });
      const image = images.get(leaf);
      if (image) imageRows.push({ id: newId(), productId: id, mediaId: image, alt: title, position: 0 });
      const usd = kind.base[0] + random.int(kind.base[1] - kind.base[0]);
      // Up to 4 option combinations: enough to filter on without a 100k catalog growing past memory.
      const combos = kind.options.length === 0 ? [[]] : random.sample(cartesian(kind.options.map((o) => o.values)), Math.min(4, 1 + random.int(4)));
      combos.forEach((values, k) => {
        const variantId = newId();
        variantRows.push({ id: variantId, productId: id, sku: `CM-${String(n + 1).padStart(6, '0')}-${k + 1}`, title: values.join(' / '), optionValues: values, position: k, weightGrams: kind.grams, inventoryQuantity: random.next() < 0.1 ? 0 : random.int(100) + 1 });
        const list = charm(usd);
        const onSale = tags.includes('sale');
        priceRows.push({ id: newId(), variantId, currency: 'USD', amount: onSale ? charm(list * 0.8) : list, compareAt: onSale ? list : null });
        priceRows.push({ id: newId(), variantId, currency: 'EUR', amount: charm(list * RATES.EUR) });
        priceRows.push({ id: newId(), variantId, currency: 'GBP', amount: charm(list * RATES.GBP) });
      });
      if (total <= 5000) {
        ratings.forEach((rating, r) => reviewRows.push({ id: newId(), productId: id, customerId: `demo-customer-${r + 1}`, authorName: `Customer ${r + 1}`, rating, ...reviewFor(random, rating), verifiedPurchase: random.next() < 0.7 }));
      }
    }
    await database.transaction(async (tx) => {
      await tx.insert(products).values(rows);
      for (let i = 0; i < variantRows.length; i += 1000) await tx.insert(variants).values(variantRows.slice(i, i + 1000));
      for (let i = 0; i < priceRows.length; i += 2000) await tx.insert(prices).values(priceRows.slice(i, i + 2000));
      await tx.insert(productCategories).values(categoryRows);
      if (imageRows.length) await tx.insert(productImages).values(imageRows);
      if (reviewRows.length) await tx.insert(reviews).values(reviewRows);
    });
    bar.tick(rows.length);
  }
  bar.done();
  await db.insert(collections).values([
    { id: newId(), handle: 'sale', title: 'On sale', rules: { tagsAny: ['sale'] } },
    { id: newId(), handle: 'under-25', title: 'Under $25', rules: { price: { currency: 'USD', max: 2500 } } },
    { id: newId(), handle: 'outdoor-gear', title: 'Outdoor gear', rules: { productTypes: ['Tent', 'Backpack', 'Boots'] } },
  ]);
  // One event for the lot: a running app's catalog view reloads everything instead of 100,000 product events.
  await database.transaction((tx) => publish(tx, catalogChanged.create('seed', { kind: 'bulk', id: 'seed', productIds: [] })));
}

function cartesian(lists: string[][]): string[][] {
  return lists.reduce<string[][]>((acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])), [[]]);
}

/** Demo catalog: ~500 products in 21 categories; `--products 100000` for benchmarks (reviews only up to 5,000 products). */
export const catalogSeeder: Seeder = {
  name: 'catalog',
  sizes: { products: { default: 500, description: 'number of demo products' } },
  run: seedCatalog,
};
