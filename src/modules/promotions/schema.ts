import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** What a promotion applies to; an empty target means every line. A line matches when it matches any list. */
export interface PromotionTargets {
  productIds?: string[];
  categoryIds?: string[];
  collectionIds?: string[];
}

export const promotions = pgTable('promotions', {
  id: uuid('id').primaryKey(),
  /** Upper-case code the shopper types; null for an automatic promotion. */
  code: text('code').unique(),
  title: text('title').notNull(),
  kind: text('kind', { enum: ['percentage', 'fixed', 'free_shipping', 'bxgy'] }).notNull(),
  /** Basis points for percentage and bxgy (10 000 = free), minor units for fixed. */
  value: bigint('value', { mode: 'number' }).notNull().default(0),
  /** Fixed amounts and minimum subtotals are in this currency; null: any currency (percentages). */
  currency: text('currency'),
  buyQuantity: integer('buy_quantity'),
  getQuantity: integer('get_quantity'),
  minSubtotal: bigint('min_subtotal', { mode: 'number' }).notNull().default(0),
  targets: jsonb('targets').$type<PromotionTargets>().notNull().default({}),
  startsAt: at('starts_at'),
  endsAt: at('ends_at'),
  active: boolean('active').notNull().default(true),
  usageLimit: integer('usage_limit'),
  perCustomerLimit: integer('per_customer_limit'),
  /** Uses taken by placed orders; the guarded UPDATE and this check keep it within the limit. */
  used: integer('used').notNull().default(0),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
}, (t) => [
  check('promotions_used_within_limit', sql`${t.used} >= 0 and (${t.usageLimit} is null or ${t.used} <= ${t.usageLimit})`),
  index('promotions_automatic').on(t.active).where(sql`${t.code} is null`),
]);

/** Uses per customer (customer id, or the lower-cased e-mail of a guest). */
export const promotionCustomerUses = pgTable('promotion_customer_uses', {
  promotionId: uuid('promotion_id').notNull().references(() => promotions.id, { onDelete: 'cascade' }),
  customerKey: text('customer_key').notNull(),
  used: integer('used').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.promotionId, t.customerKey] }), check('promotion_customer_uses_used', sql`${t.used} >= 0`)]);

export const promotionRedemptions = pgTable('promotion_redemptions', {
  id: uuid('id').primaryKey(),
  promotionId: uuid('promotion_id').notNull().references(() => promotions.id, { onDelete: 'cascade' }),
  orderId: uuid('order_id').notNull(),
  customerKey: text('customer_key').notNull(),
  amount: bigint('amount', { mode: 'number' }).notNull(),
  currency: text('currency').notNull(),
  status: text('status', { enum: ['redeemed', 'released'] }).notNull().default('redeemed'),
  createdAt: at('created_at').notNull().defaultNow(),
  releasedAt: at('released_at'),
}, (t) => [unique('promotion_redemptions_once').on(t.promotionId, t.orderId), index('promotion_redemptions_order').on(t.orderId)]);

/** Codes a shopper applied to a cart (automatic promotions need no row). */
export const cartPromotions = pgTable('promotion_cart_codes', {
  cartId: uuid('cart_id').notNull(),
  promotionId: uuid('promotion_id').notNull().references(() => promotions.id, { onDelete: 'cascade' }),
  createdAt: at('created_at').notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.cartId, t.promotionId] })]);
