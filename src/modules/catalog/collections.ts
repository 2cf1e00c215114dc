import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { publish } from '../../platform/events/outbox.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { catalogChanged } from './events.js';
import { HANDLE, handleize, sanitizeDescription, unsafeHtmlReason } from './html.js';
import { assertCurrency } from './money.js';
import { collectionProducts, collections, products, type CollectionRules } from './schema.js';

export type CollectionRow = typeof collections.$inferSelect;

export interface CollectionInput {
  title: string;
  handle?: string;
  descriptionHtml?: string;
  /** Omit for a manual collection. */
  rules?: CollectionRules | null;
  /** Manual members, in order. */
  productIds?: string[];
}

function checkInput(input: Partial<CollectionInput>): void {
  if (input.handle !== undefined && !HANDLE.test(input.handle)) throw problem(422, 'invalid-handle', `Handle ${JSON.stringify(input.handle)} must be lower-case letters, digits and single hyphens`);
  const reason = input.descriptionHtml ? unsafeHtmlReason(input.descriptionHtml) : null;
  if (reason) throw problem(422, 'unsafe-html', `descriptionHtml ${reason}`, { field: 'descriptionHtml' });
  if (input.rules?.price) {
    assertCurrency(input.rules.price.currency, 'rules.price.currency');
    const { min, max } = input.rules.price;
    if (min !== undefined && max !== undefined && min > max) throw problem(422, 'invalid-rules', `rules.price.min ${min} is above max ${max}`);
  }
  if (input.rules && input.productIds?.length) throw problem(422, 'invalid-rules', 'A collection is either rule-based or manual: send rules or productIds, not both');
}

async function writeMembers(tx: Tx, id: string, productIds: readonly string[]): Promise<void> {
  const unique = [...new Set(productIds)];
  if (!unique.length) return;
  const found = await tx.select({ id: products.id }).from(products).where(inArray(products.id, unique));
  const missing = unique.filter((p) => !found.some((f) => f.id === p));
  if (missing.length) throw problem(422, 'unknown-product', `No product ${missing.join(', ')}`, { productIds: missing });
  await tx.insert(collectionProducts).values(unique.map((productId, position) => ({ collectionId: id, productId, position })));
}

export async function createCollection(tx: Tx, input: CollectionInput): Promise<CollectionRow> {
  const handle = input.handle ?? handleize(input.title);
  checkInput({ ...input, handle });
  const [taken] = await tx.select({ id: collections.id }).from(collections).where(eq(collections.handle, handle));
  if (taken) throw problem(409, 'duplicate-handle', `Collection handle ${JSON.stringify(handle)} is taken`, { handle });
  const id = newId();
  const [row] = await tx.insert(collections).values({ id, handle, title: input.title, descriptionHtml: sanitizeDescription(input.descriptionHtml ?? ''), rules: input.rules ?? null }).returning();
  await writeMembers(tx, id, input.productIds ?? []);
  await publish(tx, catalogChanged.create(id, { kind: 'collection', id, productIds: input.productIds ?? [] }));
  return row as CollectionRow;
}

export async function updateCollection(tx: Tx, id: string, patch: Partial<CollectionInput>): Promise<CollectionRow> {
  checkInput(patch);
  const [current] = await tx.select().from(collections).where(eq(collections.id, id)).for('update');
  if (!current) throw problem(404, 'collection-not-found', `No collection ${id}`);
  if (patch.handle && patch.handle !== current.handle) {
    const [taken] = await tx.select({ id: collections.id }).from(collections).where(eq(collections.handle, patch.handle));
    if (taken) throw problem(409, 'duplicate-handle', `Collection handle ${JSON.stringify(patch.handle)} is taken`, { handle: patch.handle });
  }
  const before = await members(tx, id);
  const { productIds, descriptionHtml, ...rest } = patch;
  const [row] = await tx.update(collections).set({ ...rest, ...(descriptionHtml !== undefined ? { descriptionHtml: sanitizeDescription(descriptionHtml) } : {}), updatedAt: new Date().toISOString() })
    .where(eq(collections.id, id)).returning();
  if (productIds !== undefined || patch.rules) {
    await tx.delete(collectionProducts).where(eq(collectionProducts.collectionId, id));
    await writeMembers(tx, id, productIds ?? []);
  }
  await publish(tx, catalogChanged.create(id, { kind: 'collection', id, productIds: [...new Set([...before, ...(productIds ?? [])])] }));
  return row as CollectionRow;
}

export async function deleteCollection(tx: Tx, id: string): Promise<void> {
  const before = await members(tx, id);
  const [row] = await tx.delete(collections).where(eq(collections.id, id)).returning({ id: collections.id });
  if (!row) throw problem(404, 'collection-not-found', `No collection ${id}`);
  await publish(tx, catalogChanged.create(id, { kind: 'collection', id, productIds: before }));
}

async function members(tx: Tx, id: string): Promise<string[]> {
  const rows = await tx.select({ productId: collectionProducts.productId }).from(collectionProducts).where(and(eq(collectionProducts.collectionId, id)));
  return rows.map((r) => r.productId);
}
