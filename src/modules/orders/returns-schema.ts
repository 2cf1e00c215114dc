import { bigint, boolean, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

export const RETURN_STATUSES = ['requested', 'approved', 'rejected', 'received', 'refunded'] as const;
export const RETURN_REASONS = ['damaged', 'defective', 'wrong_item', 'not_as_described', 'no_longer_needed', 'other'] as const;

/** A customer's request to send goods back, and what staff did with it. */
export const orderReturns = pgTable('order_returns', {
  id: uuid('id').primaryKey(),
  orderId: uuid('order_id').notNull(),
  customerId: uuid('customer_id'),
  status: text('status', { enum: RETURN_STATUSES }).notNull().default('requested'),
  note: text('note').notNull().default(''),
  decisionNote: text('decision_note').notNull().default(''),
  refundedAmount: bigint('refunded_amount', { mode: 'number' }).notNull().default(0),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
}, (t) => [index('order_returns_order').on(t.orderId), index('order_returns_status').on(t.status, t.createdAt)]);

export const orderReturnLines = pgTable('order_return_lines', {
  id: uuid('id').primaryKey(),
  returnId: uuid('return_id').notNull().references(() => orderReturns.id, { onDelete: 'cascade' }),
  orderLineId: uuid('order_line_id').notNull(),
  variantId: uuid('variant_id').notNull(),
  quantity: integer('quantity').notNull(),
  reason: text('reason', { enum: RETURN_REASONS }).notNull(),
  note: text('note').notNull().default(''),
  restocked: boolean('restocked').notNull().default(false),
  /**
   * How many of the order line's units were valued before these, fixed at the return's first
   * refund request: a refund the processor refused is retried at the same share, not at the
   * share of a return refunded meanwhile (returnedUnitsValue).
   */
  valuedFrom: integer('valued_from'),
}, (t) => [index('order_return_lines_return').on(t.returnId)]);
