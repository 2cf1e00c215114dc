import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

export const PAYMENT_STATUSES = ['pending', 'requires_action', 'authorized', 'captured', 'partially_refunded', 'refunded', 'voided', 'failed'] as const;

/** Our record of a payment. Never a card number: the provider's token, brand and last four digits only. */
export const payments = pgTable('payments', {
  id: uuid('id').primaryKey(),
  cartId: uuid('cart_id').notNull(),
  checkoutId: uuid('checkout_id').notNull().unique(),
  orderId: uuid('order_id'),
  provider: text('provider').notNull(),
  providerRef: text('provider_ref'),
  status: text('status', { enum: PAYMENT_STATUSES }).notNull().default('pending'),
  amount: bigint('amount', { mode: 'number' }).notNull(),
  currency: text('currency').notNull(),
  capturedAmount: bigint('captured_amount', { mode: 'number' }).notNull().default(0),
  refundedAmount: bigint('refunded_amount', { mode: 'number' }).notNull().default(0),
  cardBrand: text('card_brand'),
  cardLast4: text('card_last4'),
  failureCode: text('failure_code'),
  // The processor's own next step while status is requires_action (each processor has its own
  // 3-D Secure URL), kept so every later answer for the checkout can give the shopper it again.
  nextActionType: text('next_action_type', { enum: ['three_d_secure'] }),
  nextActionUrl: text('next_action_url'),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
}, (t) => [
  unique('payments_provider_ref').on(t.provider, t.providerRef),
  index('payments_cart').on(t.cartId),
  index('payments_order').on(t.orderId),
  check('payments_amounts', sql`${t.amount} >= 0 and ${t.capturedAmount} <= ${t.amount} and ${t.refundedAmount} <= ${t.capturedAmount}`),
  check('payments_next_action', sql`(${t.nextActionType} is null) = (${t.nextActionUrl} is null)`),
]);

export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;

/**
 * One refund as a promise before it is money: written 'pending' (holding its amount against
 * what may still be refunded) before the processor is called, outside any transaction, then
 * marked succeeded or failed. A crash in between leaves a pending row that the sweeper sends
 * again under the same idempotency key (the row id), so the processor refunds it once.
 */
export const refunds = pgTable('payment_refunds', {
  id: uuid('id').primaryKey(),
  paymentId: uuid('payment_id').notNull(),
  orderId: uuid('order_id').notNull(),
  returnId: uuid('return_id'),
  amount: bigint('amount', { mode: 'number' }).notNull(),
  status: text('status', { enum: REFUND_STATUSES }).notNull().default('pending'),
  reason: text('reason').notNull().default(''),
  restock: text('restock', { enum: ['none', 'release', 'shelf'] }).notNull().default('none'),
  actorId: text('actor_id'),
  failureCode: text('failure_code'),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
}, (t) => [
  index('payment_refunds_order').on(t.orderId),
  index('payment_refunds_pending').on(t.status, t.createdAt),
  check('payment_refunds_amount', sql`${t.amount} > 0`),
]);
