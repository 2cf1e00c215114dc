import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { collectionProducts, priceLists, prices, productCategories, productImages, products, variants } from './schema.js';
import type { PriceListRule } from './pricing.js';
import type { ProductDoc, VariantDoc } from './types.js';

const CHUNK = 2000;

/** Whole product aggregates by id, in a handful of queries per chunk (no N+1). */
export async function loadProducts(db: Db, ids: readonly string[]): Promise<ProductDoc[]> {
  const out: ProductDoc[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await loadChunk(db, ids.slice(i, i + CHUNK))));
  return out;
}

export async function loadProduct(db: Db, id: string): Promise<ProductDoc | null> {
  return (await loadChunk(db, [id]))[0] ?? null;
}

async function loadChunk(db: Db, ids: readonly string[]): Promise<ProductDoc[]> {
  if (ids.length === 0) return [];
  const list = [...ids];
  const [rows, variantRows, categoryRows, collectionRows, imageRows] = await Promise.all([
    db.select().from(products).where(inArray(products.id, list)),
    db.select().from(variants).where(inArray(variants.productId, list)).orderBy(asc(variants.position), asc(variants.id)),
    db.select().from(productCategories).where(inArray(productCategories.productId, list)),
    db.select().from(collectionProducts).where(inArray(collectionProducts.productId, list)),
    db.select().from(productImages).where(inArray(productImages.productId, list)).orderBy(asc(productImages.position)),
  ]);
  const variantIds = variantRows.map((v) => v.id);
  const priceRows = [];
  for (let i = 0; i < variantIds.length; i += CHUNK * 2) {
    priceRows.push(...(await db.select().from(prices).where(inArray(prices.variantId, variantIds.slice(i, i + CHUNK * 2)))));
  }
  const pricesByVariant = group(priceRows, (p) => p.variantId);
  const variantsByProduct = new Map<string, VariantDoc[]>();
  for (const v of variantRows) {
    const doc: VariantDoc = {
      id: v.id, sku: v.sku, barcode: v.barcode, title: v.title, weightGrams: v.weightGrams, optionValues: v.optionValues,
      position: v.position, inventoryQuantity: v.inventoryQuantity,
      prices: (pricesByVariant.get(v.id) ?? []).map((p) => ({ currency: p.currency, amount: p.amount, compareAt: p.compareAt, priceListId: p.priceListId }))
        .sort((a, b) => (a.priceListId ?? '').localeCompare(b.priceListId ?? '') || a.currency.localeCompare(b.currency)),
    };
    const bucket = variantsByProduct.get(v.productId);
    if (bucket) bucket.push(doc);
    else variantsByProduct.set(v.productId, [doc]);
  }
  const categoriesByProduct = group(categoryRows, (c) => c.productId);
  const collectionsByProduct = group(collectionRows, (c) => c.productId);
  const imagesByProduct = group(imageRows, (c) => c.productId);
  return rows.map((p) => ({
    id: p.id, handle: p.handle, title: p.title, descriptionHtml: p.descriptionHtml, status: p.status, productType: p.productType,
    vendor: p.vendor, tags: p.tags, seoTitle: p.seoTitle, seoDescription: p.seoDescription, attributes: p.attributes, options: p.options,
    categoryIds: (categoriesByProduct.get(p.id) ?? []).map((c) => c.categoryId).sort(),
    collectionIds: (collectionsByProduct.get(p.id) ?? []).map((c) => c.collectionId).sort(),
    images: (imagesByProduct.get(p.id) ?? []).map((m) => ({ id: m.id, mediaId: m.mediaId, url: m.url, alt: m.alt, position: m.position })),
    variants: variantsByProduct.get(p.id) ?? [],
    ratingSum: p.ratingSum, ratingCount: p.ratingCount, salesCount: p.salesCount, version: p.version,
    createdAt: new Date(p.createdAt).toISOString(), updatedAt: new Date(p.updatedAt).toISOString(),
  }));
}

export async function loadPriceLists(db: Db): Promise<Map<string, PriceListRule>> {
  const rows = await db.select().from(priceLists);
  return new Map(rows.map((l) => [l.id, {
    id: l.id, kind: l.kind, customerGroup: l.customerGroup, region: l.region,
    startsAt: l.startsAt ? Date.parse(l.startsAt) : null, endsAt: l.endsAt ? Date.parse(l.endsAt) : null,
  }]));
}

export async function publishedProductIds(db: Db): Promise<string[]> {
  const rows = await db.select({ id: products.id }).from(products).where(eq(products.status, 'published')).orderBy(asc(products.id));
  return rows.map((r) => r.id);
}

function group<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const bucket = out.get(k);
    if (bucket) bucket.push(r);
    else out.set(k, [r]);
  }
  return out;
}
