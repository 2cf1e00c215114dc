import { eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { publish } from '../../platform/events/outbox.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { catalogChanged } from './events.js';
import { assertCurrency, assertMinorUnits } from './money.js';
import { priceLists, prices, variants } from './schema.js';

export interface PriceListInput {
  name: string;
  kind?: 'sale' | 'override';
  customerGroup?: string | null;
  region?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  prices?: { variantId: string; currency: string; amount: number; compareAt?: number | null }[];
}

export type PriceListRow = typeof priceLists.$inferSelect;

function checkDates(startsAt: string | null | undefined, endsAt: string | null | undefined): void {
  if (startsAt && endsAt && Date.parse(endsAt) <= Date.parse(startsAt)) throw problem(422, 'invalid-dates', `endsAt ${endsAt} must be after startsAt ${startsAt}`, { startsAt, endsAt });
}

async function writePrices(tx: Tx, listId: string, list: NonNullable<PriceListInput['prices']>): Promise<string[]> {
  list.forEach((p, i) => {
    assertCurrency(p.currency, `prices.${i}.currency`);
    assertMinorUnits(p.amount, `prices.${i}.amount`);
    if (p.compareAt != null) assertMinorUnits(p.compareAt, `prices.${i}.compareAt`);
  });
  const ids = [...new Set(list.map((p) => p.variantId))];
  if (!ids.length) return [];
  const found = await tx.select({ id: variants.id, productId: variants.productId }).from(variants).where(inArray(variants.id, ids));
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length) throw problem(422, 'unknown-variant', `No variant ${missing.join(', ')}`, { variantIds: missing });
  const seen = new Set<string>();
  for (const p of list) {
    const key = `${p.variantId}/${p.currency}`;
    if (seen.has(key)) throw problem(422, 'duplicate-price', `Variant ${p.variantId} is priced twice in ${p.currency} in this list`);
    seen.add(key);
  }
  await tx.insert(prices).values(list.map((p) => ({ id: newId(), variantId: p.variantId, priceListId: listId, currency: p.currency, amount: p.amount, compareAt: p.compareAt ?? null })));
  return [...new Set(found.map((f) => f.productId))];
}

async function productsOf(tx: Tx, listId: string): Promise<string[]> {
  const rows = await tx.selectDistinct({ productId: variants.productId }).from(prices).innerJoin(variants, eq(variants.id, prices.variantId)).where(eq(prices.priceListId, listId));
  return rows.map((r) => r.productId);
}

export async function createPriceList(tx: Tx, input: PriceListInput): Promise<PriceListRow & { productIds: string[] }> {
  checkDates(input.startsAt, input.endsAt);
  const id = newId();
  const [row] = await tx.insert(priceLists).values({
    id, name: input.name, kind: input.kind ?? 'sale', customerGroup: input.customerGroup ?? null, region: input.region ?? null,
    startsAt: input.startsAt ?? null, endsAt: input.endsAt ?? null,
  }).returning();
  const affected = await writePrices(tx, id, input.prices ?? []);
  await publish(tx, catalogChanged.create(id, { kind: 'price-list', id, productIds: affected }));
  return { ...(row as PriceListRow), productIds: affected };
}

/** `prices`, when given, replaces the list's prices. */
export async function updatePriceList(tx: Tx, id: string, patch: Partial<PriceListInput>): Promise<PriceListRow & { productIds: string[] }> {
  const [current] = await tx.select().from(priceLists).where(eq(priceLists.id, id)).for('update');
  if (!current) throw problem(404, 'price-list-not-found', `No price list ${id}`);
  checkDates(patch.startsAt !== undefined ? patch.startsAt : current.startsAt, patch.endsAt !== undefined ? patch.endsAt : current.endsAt);
  const before = await productsOf(tx, id);
  const { prices: newPrices, ...rest } = patch;
  const [row] = await tx.update(priceLists).set({ ...rest, updatedAt: new Date().toISOString() }).where(eq(priceLists.id, id)).returning();
  let after: string[] = [];
  if (newPrices) {
    await tx.delete(prices).where(eq(prices.priceListId, id));
    after = await writePrices(tx, id, newPrices);
  }
  const productIds = [...new Set([...before, ...after])];
  await publish(tx, catalogChanged.create(id, { kind: 'price-list', id, productIds }));
  return { ...(row as PriceListRow), productIds };
}

export async function deletePriceList(tx: Tx, id: string): Promise<string[]> {
  const before = await productsOf(tx, id);
  const [row] = await tx.delete(priceLists).where(eq(priceLists.id, id)).returning({ id: priceLists.id });
  if (!row) throw problem(404, 'price-list-not-found', `No price list ${id}`);
  await publish(tx, catalogChanged.create(id, { kind: 'price-list', id, productIds: before }));
  return before;
}

export async function listPriceLists(tx: Tx): Promise<PriceListRow[]> {
  return tx.select().from(priceLists);
}
