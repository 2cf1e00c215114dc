import { inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { collectionProducts, collections, productCategories, products } from './schema.js';

/**
 * The categories and collections each product belongs to, for promotions that target them.
 * Exported for the promotions module, which never reads the catalog's tables. Rule-based
 * collections count by their tag, product-type and vendor rules (a price rule is ignored:
 * the promotion decides on the cart's own prices).
 */
export async function productGroups(db: Db, productIds: readonly string[]): Promise<Map<string, { categoryIds: string[]; collectionIds: string[] }>> {
  const ids = [...new Set(productIds)];
  const out = new Map(ids.map((id) => [id, { categoryIds: [] as string[], collectionIds: [] as string[] }]));
  if (ids.length === 0) return out;
  for (const row of await db.select().from(productCategories).where(inArray(productCategories.productId, ids))) out.get(row.productId)?.categoryIds.push(row.categoryId);
  for (const row of await db.select().from(collectionProducts).where(inArray(collectionProducts.productId, ids))) out.get(row.productId)?.collectionIds.push(row.collectionId);
  const ruled = (await db.select({ id: collections.id, rules: collections.rules }).from(collections)).filter((c) => c.rules);
  if (ruled.length === 0) return out;
  for (const p of await db.select({ id: products.id, tags: products.tags, productType: products.productType, vendor: products.vendor }).from(products).where(inArray(products.id, ids))) {
    for (const c of ruled) {
      const r = c.rules!;
      if (r.tagsAny?.length && !r.tagsAny.some((t) => p.tags.includes(t))) continue;
      if (r.productTypes?.length && !r.productTypes.includes(p.productType)) continue;
      if (r.vendors?.length && !r.vendors.includes(p.vendor)) continue;
      out.get(p.id)?.collectionIds.push(c.id);
    }
  }
  return out;
}
