import { and, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { publish } from '../../platform/events/outbox.js';
import { Problem, problem, type FieldError } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { productCreated, productDeleted, productUpdated } from './events.js';
import { handleize, sanitizeDescription } from './html.js';
import { loadProduct } from './load.js';
import { categories, prices, productCategories, productImages, products, variants } from './schema.js';
import type { ImageInput, ProductDoc, ProductInput, ProductPatch, VariantInput } from './types.js';
import { productInputErrors } from './validate.js';

export function invalid(errors: FieldError[]): Problem {
  return new Problem(422, 'validation-failed', `The product is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, {}, errors);
}

/** Turns a unique-index race (two admins, same SKU at once) into the same 409 the pre-check gives. */
export function conflictFromDatabase(error: unknown): never {
  const e = error as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const code = e.code ?? e.cause?.code;
  const constraint = e.constraint ?? e.cause?.constraint ?? '';
  if (code === '23505' && constraint.includes('sku')) throw problem(409, 'duplicate-sku', 'A variant with this SKU already exists');
  if (code === '23505' && constraint.includes('handle')) throw problem(409, 'duplicate-handle', 'A product with this handle already exists');
  throw error;
}

async function assertHandleFree(tx: Tx, handle: string, exceptId?: string): Promise<void> {
  const [row] = await tx.select({ id: products.id }).from(products).where(eq(products.handle, handle));
  if (row && row.id !== exceptId) throw problem(409, 'duplicate-handle', `Handle ${JSON.stringify(handle)} is already used by product ${row.id}`, { handle, productId: row.id });
}

async function assertSkusFree(tx: Tx, list: readonly VariantInput[], productId: string): Promise<void> {
  if (list.length === 0) return;
  const taken = await tx.select({ sku: variants.sku, productId: variants.productId }).from(variants).where(inArray(variants.sku, list.map((v) => v.sku)));
  // The product's own SKUs may be re-sent: replaceVariants matches them to their variants.
  const foreign = taken.find((t) => t.productId !== productId);
  if (foreign) throw problem(409, 'duplicate-sku', `SKU ${JSON.stringify(foreign.sku)} is already used by product ${foreign.productId}`, { sku: foreign.sku, productId: foreign.productId });
}

async function assertCategories(tx: Tx, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await tx.select({ id: categories.id }).from(categories).where(inArray(categories.id, [...ids]));
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length > 0) throw problem(422, 'unknown-category', `No category ${missing.join(', ')}`, { categoryIds: missing });
}

export async function createProduct(tx: Tx, input: ProductInput): Promise<ProductDoc> {
  const handle = input.handle ?? handleize(input.title);
  const errors = productInputErrors({ ...input, handle, options: input.options ?? [] });
  if (errors.length > 0) throw invalid(errors);
  await assertHandleFree(tx, handle);
  const id = newId();
  await assertSkusFree(tx, input.variants ?? [], id);
  await assertCategories(tx, input.categoryIds ?? []);
  try {
    await tx.insert(products).values({
      id, handle, title: input.title.trim(), descriptionHtml: sanitizeDescription(input.descriptionHtml ?? ''), status: input.status ?? 'draft',
      productType: input.productType ?? '', vendor: input.vendor ?? '', tags: normaliseTags(input.tags ?? []),
      seoTitle: input.seoTitle ?? null, seoDescription: input.seoDescription ?? null, attributes: input.attributes ?? [], options: input.options ?? [],
    });
    await writeVariants(tx, id, input.variants ?? []);
  } catch (error) {
    conflictFromDatabase(error);
  }
  await writeCategories(tx, id, input.categoryIds ?? []);
  await writeImages(tx, id, input.images ?? []);
  await publish(tx, productCreated.create(id, { productId: id, handle, version: 1 }));
  return (await loadProduct(tx, id)) as ProductDoc;
}

export async function updateProduct(tx: Tx, id: string, patch: ProductPatch, expectedVersion?: number, alsoChanged: string[] = []): Promise<ProductDoc> {
  // Row lock: concurrent edits of one product apply one after the other, and versions never repeat.
  const [current] = await tx.select().from(products).where(eq(products.id, id)).for('update');
  if (!current) throw problem(404, 'product-not-found', `No product ${id}`);
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw problem(412, 'version-mismatch', `Product ${id} is at version ${current.version}, not ${expectedVersion}; reload and retry`, { version: current.version });
  }
  const options = patch.options ?? current.options;
  const errors = productInputErrors({ ...patch, options: patch.variants || patch.options ? options : undefined });
  if (patch.options && !patch.variants) {
    const existing = await tx.select({ optionValues: variants.optionValues }).from(variants).where(eq(variants.productId, id));
    if (existing.some((v) => v.optionValues.length !== options.length)) errors.push({ in: 'body', field: 'options', message: 'changes the number of options; send the variants with their new option values too' });
  }
  if (errors.length > 0) throw invalid(errors);
  if (patch.handle !== undefined && patch.handle !== current.handle) await assertHandleFree(tx, patch.handle, id);
  if (patch.variants) await assertSkusFree(tx, patch.variants, id);
  if (patch.categoryIds) await assertCategories(tx, patch.categoryIds);
  const version = current.version + 1;
  const set: Partial<typeof products.$inferInsert> = { version, updatedAt: new Date().toISOString() };
  if (patch.handle !== undefined) set.handle = patch.handle;
  if (patch.title !== undefined) set.title = patch.title.trim();
  if (patch.descriptionHtml !== undefined) set.descriptionHtml = sanitizeDescription(patch.descriptionHtml);
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.productType !== undefined) set.productType = patch.productType;
  if (patch.vendor !== undefined) set.vendor = patch.vendor;
  if (patch.tags !== undefined) set.tags = normaliseTags(patch.tags);
  if (patch.seoTitle !== undefined) set.seoTitle = patch.seoTitle;
  if (patch.seoDescription !== undefined) set.seoDescription = patch.seoDescription;
  if (patch.attributes !== undefined) set.attributes = patch.attributes;
  if (patch.options !== undefined) set.options = patch.options;
  try {
    await tx.update(products).set(set).where(eq(products.id, id));
    if (patch.variants) await replaceVariants(tx, id, patch.variants);
  } catch (error) {
    conflictFromDatabase(error);
  }
  if (patch.categoryIds) {
    await tx.delete(productCategories).where(eq(productCategories.productId, id));
    await writeCategories(tx, id, patch.categoryIds);
  }
  if (patch.images) {
    await tx.delete(productImages).where(eq(productImages.productId, id));
    await writeImages(tx, id, patch.images);
  }
  await publish(tx, productUpdated.create(id, { productId: id, handle: set.handle ?? current.handle, version, changes: [...Object.keys(patch), ...alsoChanged].sort() }));
  return (await loadProduct(tx, id)) as ProductDoc;
}

export async function deleteProduct(tx: Tx, id: string): Promise<void> {
  const [row] = await tx.delete(products).where(eq(products.id, id)).returning({ handle: products.handle });
  if (!row) throw problem(404, 'product-not-found', `No product ${id}`);
  await publish(tx, productDeleted.create(id, { productId: id, handle: row.handle }));
}

/** Bumps the version and announces a change made elsewhere (reviews, stock, price lists). */
export async function touchProduct(tx: Tx, id: string, changes: string[], extra: Partial<typeof products.$inferInsert> = {}): Promise<void> {
  const [row] = await tx.update(products).set({ ...extra, version: sql`${products.version} + 1`, updatedAt: new Date().toISOString() })
    .where(eq(products.id, id)).returning({ handle: products.handle, version: products.version });
  if (row) await publish(tx, productUpdated.create(id, { productId: id, handle: row.handle, version: row.version, changes }));
}

async function writeVariants(tx: Tx, productId: string, list: readonly VariantInput[]): Promise<void> {
  if (list.length === 0) return;
  const rows = list.map((v, position) => ({
    id: v.id ?? newId(), productId, sku: v.sku, barcode: v.barcode ?? null, title: v.title ?? (v.optionValues ?? []).join(' / '),
    weightGrams: v.weightGrams ?? null, optionValues: v.optionValues ?? [], position, inventoryQuantity: v.inventoryQuantity ?? 0,
  }));
  await tx.insert(variants).values(rows);
  const priceRows = list.flatMap((v, i) => (v.prices ?? []).map((p) => ({
    id: newId(), variantId: rows[i]!.id, priceListId: null, currency: p.currency, amount: p.amount, compareAt: p.compareAt ?? null,
  })));
  if (priceRows.length > 0) await tx.insert(prices).values(priceRows);
}

/** Variants named by id (or by an existing SKU) are updated in place, keeping their price-list prices; the rest are created or removed. */
async function replaceVariants(tx: Tx, productId: string, list: readonly VariantInput[]): Promise<void> {
  const existing = await tx.select({ id: variants.id, sku: variants.sku }).from(variants).where(eq(variants.productId, productId));
  const byId = new Map(existing.map((v) => [v.id, v]));
  const bySku = new Map(existing.map((v) => [v.sku, v]));
  const resolved = list.map((v) => {
    const id = (v.id && byId.has(v.id) ? v.id : undefined) ?? bySku.get(v.sku)?.id;
    if (v.id && !byId.has(v.id)) throw problem(422, 'variant-not-found', `Variant ${v.id} is not a variant of product ${productId}`, { variantId: v.id });
    return { ...v, id };
  });
  const keep = resolved.map((v) => v.id).filter((x): x is string => x !== undefined);
  await tx.delete(variants).where(keep.length ? and(eq(variants.productId, productId), notInArray(variants.id, keep)) : eq(variants.productId, productId));
  // Free the SKUs first so two variants may swap SKUs in one edit.
  if (keep.length) await tx.update(variants).set({ sku: sql`'~' || ${variants.id}::text` }).where(inArray(variants.id, keep));
  for (const [position, v] of resolved.entries()) {
    if (!v.id) {
      await writeVariants(tx, productId, [v]);
      await tx.update(variants).set({ position }).where(eq(variants.sku, v.sku));
      continue;
    }
    await tx.update(variants).set({
      sku: v.sku, barcode: v.barcode ?? null, title: v.title ?? (v.optionValues ?? []).join(' / '), weightGrams: v.weightGrams ?? null,
      optionValues: v.optionValues ?? [], position, ...(v.inventoryQuantity !== undefined ? { inventoryQuantity: v.inventoryQuantity } : {}), updatedAt: new Date().toISOString(),
    }).where(eq(variants.id, v.id));
    if (v.prices) {
      await tx.delete(prices).where(and(eq(prices.variantId, v.id), isNull(prices.priceListId)));
      if (v.prices.length) await tx.insert(prices).values(v.prices.map((p) => ({ id: newId(), variantId: v.id as string, priceListId: null, currency: p.currency, amount: p.amount, compareAt: p.compareAt ?? null })));
    }
  }
}

async function writeCategories(tx: Tx, productId: string, ids: readonly string[]): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length) await tx.insert(productCategories).values(unique.map((categoryId) => ({ productId, categoryId })));
}

async function writeImages(tx: Tx, productId: string, list: readonly ImageInput[]): Promise<void> {
  if (list.length) await tx.insert(productImages).values(list.map((m, position) => ({ id: newId(), productId, mediaId: m.mediaId ?? null, url: m.url ?? null, alt: m.alt ?? '', position })));
}

const normaliseTags = (tags: readonly string[]): string[] => [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
