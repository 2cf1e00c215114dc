import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

export interface Address {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  region?: string;
  country: string;
}

export const carts = pgTable('carts', {
  id: uuid('id').primaryKey(),
  /** SHA-256 of the cart's secret token: whoever holds the token (a guest's browser) may use the cart. */
  tokenHash: text('token_hash').notNull(),
  customerId: uuid('customer_id'),
  currency: text('currency').notNull(),
  /** open → checking_out (stock held, payment pending) → completed (an order exists); back to open on failure. */
  status: text('status', { enum: ['open', 'checking_out', 'completed'] }).notNull().default('open'),
  email: text('email'),
  shippingAddress: jsonb('shipping_address').$type<Address>(),
  billingAddress: jsonb('billing_address').$type<Address>(),
  notes: text('notes').notNull().default(''),
  /** The shipping option chosen (regions module), checked against the address's region when pricing. */
  shippingOptionId: uuid('shipping_option_id'),
  /** The checkout attempt in progress or completed. */
  checkoutId: uuid('checkout_id'),
  orderId: uuid('order_id'),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
}, (t) => [index('carts_customer').on(t.customerId).where(sql`${t.status} = 'open'`)]);

export const cartItems = pgTable('cart_items', {
  id: uuid('id').primaryKey(),
  cartId: uuid('cart_id').notNull().references(() => carts.id, { onDelete: 'cascade' }),
  variantId: uuid('variant_id').notNull(),
  productId: uuid('product_id').notNull(),
  sku: text('sku').notNull(),
  title: text('title').notNull(),
  quantity: integer('quantity').notNull(),
  /** Price when added, minor units; re-resolved from the catalog at checkout. */
  unitAmount: bigint('unit_amount', { mode: 'number' }).notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
}, (t) => [
  unique('cart_items_one_per_variant').on(t.cartId, t.variantId),
  check('cart_items_quantity', sql`${t.quantity} > 0`),
]);
