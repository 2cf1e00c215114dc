import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Address } from '../carts/schema.js';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

export const ORDER_STATUSES = ['pending', 'paid', 'fulfilled', 'shipped', 'delivered', 'cancelled'] as const;
export const ORDER_PAYMENT_STATUSES = ['authorized', 'captured', 'partially_refunded', 'refunded', 'voided'] as const;

/** The next human order number: taken in the completing transaction, so a rolled-back attempt leaves no gap. */
export const orderCounters = pgTable('order_counters', {
  name: text('name').primaryKey(),
  last: bigint('last', { mode: 'number' }).notNull(),
});

export const orders = pgTable('orders', {
  id: uuid('id').primaryKey(),
  number: bigint('number', { mode: 'number' }).notNull().unique(),
  /** One order per cart, enforced by the database whatever races above it. */
  cartId: uuid('cart_id').notNull().unique(),
  paymentId: uuid('payment_id').notNull(),
  checkoutId: uuid('checkout_id').notNull(),
  customerId: uuid('customer_id'),
  email: text('email').notNull(),
  currency: text('currency').notNull(),
  status: text('status', { enum: ORDER_STATUSES }).notNull().default('pending'),
  paymentStatus: text('payment_status', { enum: ORDER_PAYMENT_STATUSES }).notNull().default('authorized'),
  subtotal: bigint('subtotal', { mode: 'number' }).notNull(),
  discount: bigint('discount', { mode: 'number' }).notNull(),
  shipping: bigint('shipping', { mode: 'number' }).notNull(),
  tax: bigint('tax', { mode: 'number' }).notNull(),
  total: bigint('total', { mode: 'number' }).notNull(),
  taxInclusive: boolean('tax_inclusive').notNull(),
  capturedAmount: bigint('captured_amount', { mode: 'number' }).notNull().default(0),
  refundedAmount: bigint('refunded_amount', { mode: 'number' }).notNull().default(0),
  shippingAddress: jsonb('shipping_address').$type<Address>(),
  billingAddress: jsonb('billing_address').$type<Address>(),
  notes: text('notes').notNull().default(''),
  version: integer('version').notNull().default(1),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
}, (t) => [
  index('orders_customer').on(t.customerId, t.createdAt),
  index('orders_created').on(t.createdAt),
  // The sweeper's look for cancelled orders whose authorization is not voided yet (payments.ts): only those rows, so the index stays tiny.
  index('orders_cancelled_unvoided').on(t.updatedAt).where(sql`${t.status} = 'cancelled' and ${t.paymentStatus} = 'authorized'`),
  check('orders_money', sql`${t.total} >= 0 and ${t.refundedAmount} <= ${t.capturedAmount} and ${t.capturedAmount} <= ${t.total}`),
]);

export const orderLines = pgTable('order_lines', {
  id: uuid('id').primaryKey(),
  orderId: uuid('order_id').notNull().references(() => orders.id, { onDelete: 'cascade' }),
  variantId: uuid('variant_id').notNull(),
  productId: uuid('product_id').notNull(),
  sku: text('sku').notNull(),
  title: text('title').notNull(),
  quantity: integer('quantity').notNull(),
  unitAmount: bigint('unit_amount', { mode: 'number' }).notNull(),
  lineTotal: bigint('line_total', { mode: 'number' }).notNull(),
  position: integer('position').notNull(),
}, (t) => [index('order_lines_order').on(t.orderId, t.position)]);

/** Everything that happened to an order, in order, for staff and the customer. */
export const orderTimeline = pgTable('order_timeline', {
  id: uuid('id').primaryKey(),
  orderId: uuid('order_id').notNull().references(() => orders.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(),
  message: text('message').notNull(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  actorId: text('actor_id'),
  at: at('at').notNull().defaultNow(),
}, (t) => [index('order_timeline_order').on(t.orderId, t.at)]);

/** Returns live beside the order (their own file; drizzle reads the tables exported here). */
export * from './returns-schema.js';
export * from './capture-schema.js';
