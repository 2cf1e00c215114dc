import { sql } from 'drizzle-orm';
import { bigint, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

export const CAPTURE_STATUSES = ['pending', 'captured', 'failed', 'skipped'] as const;

/**
 * An automatic capture (PAYMENT_CAPTURE=immediate) as an intent before it is money: written
 * pending by the order.placed consumer, sent to the processor after that transaction commits,
 * then marked captured, failed (the compensation ran) or skipped (staff cancelled first). A
 * crash in between leaves it pending, and the sweeper sends it again; the processor's capture
 * is idempotent per payment, so the money moves once.
 */
export const orderCaptures = pgTable('order_captures', {
  orderId: uuid('order_id').primaryKey(),
  amount: bigint('amount', { mode: 'number' }).notNull(),
  status: text('status', { enum: CAPTURE_STATUSES }).notNull().default('pending'),
  failureCode: text('failure_code'),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
}, (t) => [index('order_captures_pending').on(t.createdAt).where(sql`${t.status} = 'pending'`)]);
