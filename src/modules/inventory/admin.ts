import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db/database.js';
import { publish } from '../../platform/events/outbox.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { appendAudit } from '../../platform/security/audit.js';
import { variantsForCheckout } from '../catalog/for-checkout.js';
import { inventoryAdjusted, inventoryLow } from './events.js';
import { adjustments, locations, stockItems, stockLevels } from './schema.js';

export type AdjustmentReason = (typeof adjustments.$inferInsert)['reason'];
export const DEFAULT_LOCATION = 'default';

export async function locationId(tx: Tx, code: string): Promise<string> {
  const [found] = await tx.select({ id: locations.id }).from(locations).where(eq(locations.code, code));
  if (found) return found.id;
  if (code !== DEFAULT_LOCATION) throw problem(404, 'unknown-location', `No stock location with code ${JSON.stringify(code)}`, { location: code });
  await tx.insert(locations).values({ id: newId(), code, name: 'Default warehouse' }).onConflictDoNothing();
  const [made] = await tx.select({ id: locations.id }).from(locations).where(eq(locations.code, code));
  return (made as { id: string }).id;
}

export async function createLocation(tx: Tx, input: { code: string; name: string }) {
  const [row] = await tx.insert(locations).values({ id: newId(), ...input }).onConflictDoNothing().returning();
  if (!row) throw problem(409, 'location-exists', `A location with code ${JSON.stringify(input.code)} exists`, { code: input.code });
  return row;
}

async function assertVariant(db: Db, variantId: string): Promise<void> {
  const found = await variantsForCheckout(db, [variantId], { currency: 'USD' });
  if (!found.has(variantId)) throw problem(404, 'unknown-variant', `No variant ${variantId} in the catalog`, { variantId });
}

export async function setStockPolicy(tx: Tx, variantId: string, policy: { backorder?: boolean; lowThreshold?: number }, actorId: string | null) {
  await assertVariant(tx, variantId);
  await tx.insert(stockItems).values({ variantId, ...policy })
    .onConflictDoUpdate({ target: stockItems.variantId, set: { ...policy, updatedAt: sql`now()` } });
  await appendAudit(tx, { action: 'inventory.policy', actor: actorId, subjectType: 'variant', subjectId: variantId, data: policy });
}

/**
 * Changes on-hand stock with a reason, audited. Stock may not drop below what checkouts and
 * orders already hold: that would sell units twice.
 */
export async function adjustStock(tx: Tx, input: { variantId: string; location?: string; delta: number; reason: AdjustmentReason; note?: string }, actorId: string | null) {
  await assertVariant(tx, input.variantId);
  const loc = await locationId(tx, input.location ?? DEFAULT_LOCATION);
  await tx.insert(stockItems).values({ variantId: input.variantId }).onConflictDoNothing();
  await tx.insert(stockLevels).values({ variantId: input.variantId, locationId: loc }).onConflictDoNothing();
  const [item] = await tx.select().from(stockItems).where(eq(stockItems.variantId, input.variantId));
  const [row] = await tx.update(stockLevels).set({ onHand: sql`${stockLevels.onHand} + ${input.delta}`, updatedAt: sql`now()` })
    .where(and(eq(stockLevels.variantId, input.variantId), eq(stockLevels.locationId, loc),
      sql`${stockLevels.onHand} + ${input.delta} >= ${stockLevels.reserved} + ${stockLevels.committed}`))
    .returning();
  if (!row) throw problem(409, 'stock-held', 'Stock cannot drop below the units held by checkouts and orders', { variantId: input.variantId, delta: input.delta });
  await tx.insert(adjustments).values({
    id: newId(), variantId: input.variantId, locationId: loc, delta: input.delta, reason: input.reason, note: input.note ?? '', actorId, onHandAfter: row.onHand,
  });
  await appendAudit(tx, { action: 'inventory.adjusted', actor: actorId, subjectType: 'variant', subjectId: input.variantId, data: { location: loc, delta: input.delta, reason: input.reason, onHand: row.onHand } });
  await publish(tx, inventoryAdjusted.create(input.variantId, { variantId: input.variantId, locationId: loc, delta: input.delta, reason: input.reason, onHand: row.onHand }));
  const available = row.onHand - row.reserved - row.committed;
  const threshold = item?.lowThreshold ?? 5;
  if (input.delta < 0 && available <= threshold && available - input.delta > threshold) {
    await publish(tx, inventoryLow.create(input.variantId, { variantId: input.variantId, available, threshold }));
  }
  return stockView(tx, input.variantId);
}

export async function stockView(db: Db, variantId: string) {
  const [item] = await db.select().from(stockItems).where(eq(stockItems.variantId, variantId));
  const levels = await db.select({ code: locations.code, onHand: stockLevels.onHand, reserved: stockLevels.reserved, committed: stockLevels.committed })
    .from(stockLevels).innerJoin(locations, eq(locations.id, stockLevels.locationId))
    .where(eq(stockLevels.variantId, variantId)).orderBy(asc(locations.code));
  const sum = (k: 'onHand' | 'reserved' | 'committed') => levels.reduce((s, l) => s + l[k], 0);
  return {
    variantId, stocked: Boolean(item), backorder: item?.backorder ?? false, lowThreshold: item?.lowThreshold ?? 5,
    onHand: sum('onHand'), reserved: sum('reserved'), committed: sum('committed'), available: sum('onHand') - sum('reserved') - sum('committed'),
    locations: levels.map((l) => ({ ...l, available: l.onHand - l.reserved - l.committed })),
  };
}

export async function adjustmentHistory(db: Db, variantId: string) {
  return db.select().from(adjustments).where(eq(adjustments.variantId, variantId)).orderBy(asc(adjustments.createdAt));
}
