import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** A parcel for an order: made when the order is placed, packed, shipped with a carrier and tracking number, delivered. */
export const fulfillments = pgTable('fulfillments', {
  id: uuid('id').primaryKey(),
  orderId: uuid('order_id').notNull().unique(),
  status: text('status', { enum: ['open', 'packed', 'shipped', 'delivered', 'cancelled'] }).notNull().default('open'),
  carrier: text('carrier'),
  trackingNumber: text('tracking_number'),
  createdAt: at('created_at').notNull().defaultNow(),
  shippedAt: at('shipped_at'),
  deliveredAt: at('delivered_at'),
}, (t) => [index('fulfillments_status').on(t.status)]);
