import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

export const locations = pgTable('inventory_locations', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
});

/** Per-variant stock policy. A variant without a row is not stocked and cannot be sold. */
export const stockItems = pgTable('inventory_items', {
  variantId: uuid('variant_id').primaryKey(),
  /** Sell beyond what is on hand (made to order, pre-orders). */
  backorder: boolean('backorder').notNull().default(false),
  /** inventory.low is announced when available stock falls to this or below. */
  lowThreshold: integer('low_threshold').notNull().default(5),
  updatedAt: at('updated_at').notNull().defaultNow(),
}, (t) => [check('inventory_items_threshold', sql`${t.lowThreshold} >= 0`)]);

/**
 * Units per variant per location. on_hand counts what is physically there; reserved is held
 * by checkouts in progress, committed by paid orders not yet shipped. Available is
 * on_hand - reserved - committed and only the conditional update in stock.ts ever raises
 * reserved, so the no-oversell guard lives here, in the row, not in a process.
 */
export const stockLevels = pgTable('inventory_levels', {
  variantId: uuid('variant_id').notNull(),
  locationId: uuid('location_id').notNull().references(() => locations.id),
  onHand: integer('on_hand').notNull().default(0),
  reserved: integer('reserved').notNull().default(0),
  committed: integer('committed').notNull().default(0),
  updatedAt: at('updated_at').notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.variantId, t.locationId] }),
  check('inventory_levels_counts', sql`${t.reserved} >= 0 and ${t.committed} >= 0`),
]);

/** Units held for one checkout of one cart; committed to the order on payment, released otherwise. */
export const reservations = pgTable('inventory_reservations', {
  id: uuid('id').primaryKey(),
  /** The checkout attempt (one per Idempotency-Key'd checkout call) that holds the units. */
  checkoutId: uuid('checkout_id').notNull(),
  variantId: uuid('variant_id').notNull(),
  locationId: uuid('location_id').notNull(),
  quantity: integer('quantity').notNull(),
  status: text('status', { enum: ['active', 'committed', 'released', 'shipped'] }).notNull().default('active'),
  orderId: uuid('order_id'),
  expiresAt: at('expires_at').notNull(),
  releasedReason: text('released_reason'),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
}, (t) => [
  index('inventory_reservations_checkout').on(t.checkoutId),
  index('inventory_reservations_order').on(t.orderId),
  index('inventory_reservations_expiry').on(t.expiresAt).where(sql`${t.status} = 'active' and ${t.orderId} is null`),
  check('inventory_reservations_quantity', sql`${t.quantity} > 0`),
]);

/** Every manual change of on-hand stock, with why and by whom (also in the audit chain). */
export const adjustments = pgTable('inventory_adjustments', {
  id: uuid('id').primaryKey(),
  variantId: uuid('variant_id').notNull(),
  locationId: uuid('location_id').notNull(),
  delta: integer('delta').notNull(),
  reason: text('reason', { enum: ['received', 'recount', 'damaged', 'lost', 'returned', 'correction'] }).notNull(),
  note: text('note').notNull().default(''),
  actorId: text('actor_id'),
  onHandAfter: integer('on_hand_after').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
}, (t) => [index('inventory_adjustments_variant').on(t.variantId, t.createdAt)]);
