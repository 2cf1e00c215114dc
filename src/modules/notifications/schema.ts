import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Messages sent to customers about their orders (the mail itself goes through the platform mailer). */
export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey(),
  orderId: uuid('order_id'),
  /** The customer the message was about, for their export and erasure (null for a guest's order). */
  customerId: uuid('customer_id'),
  recipient: text('recipient').notNull(),
  template: text('template').notNull(),
  subject: text('subject').notNull(),
  sentAt: timestamp('sent_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
}, (t) => [index('notifications_order').on(t.orderId), index('notifications_customer').on(t.customerId)]);
