import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { commitBatch } from '../../platform/db/commit-batch.js';
import type { Tx } from '../../platform/db/database.js';
import { consumer } from '../../platform/events/consumers.js';
import { customerErased } from '../identity/events.js';
import { inventoryAdjusted, inventoryLow, inventoryReleased, inventoryReserved } from '../inventory/events.js';
import { availability } from '../inventory/stock.js';
import { orderCancelled, orderDelivered, orderPlaced } from '../orders/events.js';
import { touchProduct } from './products.js';
import type { PurchaseCheck } from './reviews.js';
import { purchases, variants } from './schema.js';

/** A review is a verified purchase when an order of this customer with the product was delivered. */
export const receivedProduct: PurchaseCheck = async (tx, customerId, productId) => {
  const [row] = await tx.select({ orderId: purchases.orderId }).from(purchases)
    .where(and(eq(purchases.customerId, customerId), eq(purchases.productId, productId), isNotNull(purchases.deliveredAt))).limit(1);
  return row !== undefined;
};

/**
 * Keeps catalog_variants.inventory_quantity at what inventory says is available (at least 1
 * for a variant sold on backorder, so it stays "in stock"). The product is announced, and so
 * its cached store responses dropped, only when a variant goes in or out of stock: the
 * storefront shows in-stock, not counts. Once per transaction, at its end, for every variant
 * its events named: what it reads is the stock now, not what an event says, so a consumer's run
 * of fifty checkouts of one variant reads and writes it once.
 */
const stockToSync = commitBatch(async (tx: Tx, variantIds: readonly string[]): Promise<void> => {
  const ids = [...new Set(variantIds)];
  if (ids.length === 0) return;
  // Sequential: a transaction's one client cannot run two queries at once.
  const rows = await tx.select({ id: variants.id, productId: variants.productId, quantity: variants.inventoryQuantity }).from(variants).where(inArray(variants.id, ids));
  const stock = await availability(tx, ids);
  const flipped = new Set<string>();
  for (const row of rows) {
    const a = stock.get(row.id);
    if (!a) continue;
    const quantity = a.backorder ? Math.max(1, a.available) : Math.max(0, a.available);
    if (quantity === row.quantity) continue;
    await tx.update(variants).set({ inventoryQuantity: quantity }).where(eq(variants.id, row.id));
    if ((quantity > 0) !== (row.quantity > 0)) flipped.add(row.productId);
  }
  for (const productId of flipped) await touchProduct(tx, productId, ['stock']);
});

export const catalogConsumers = [
  consumer('catalog.purchases-placed', orderPlaced, async (tx, { payload }) => {
    if (!payload.customerId || !payload.productIds?.length) return;
    await tx.insert(purchases).values(payload.productIds.map((productId) => ({ orderId: payload.orderId, productId, customerId: payload.customerId as string }))).onConflictDoNothing();
  }),
  consumer('catalog.purchases-delivered', orderDelivered, async (tx, { payload }) => {
    await tx.update(purchases).set({ deliveredAt: new Date().toISOString() }).where(eq(purchases.orderId, payload.orderId));
  }),
  consumer('catalog.purchases-cancelled', orderCancelled, async (tx, { payload }) => {
    await tx.delete(purchases).where(eq(purchases.orderId, payload.orderId));
  }),
  // What someone bought is personal data; once they are erased it has no use (reviews keep their flag).
  consumer('catalog.purchases-erased', customerErased, async (tx, { payload }) => {
    await tx.delete(purchases).where(eq(purchases.customerId, payload.customerId));
  }),
  consumer('catalog.stock', [inventoryReserved, inventoryReleased, inventoryAdjusted, inventoryLow], async (tx, event) => {
    const p = event.payload as { variantId?: string; lines?: { variantId: string }[] };
    await stockToSync.add(tx, p.lines ? p.lines.map((l) => l.variantId) : p.variantId ? [p.variantId] : []);
  }),
];
