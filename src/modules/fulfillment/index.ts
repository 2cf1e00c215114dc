import { eq, sql } from 'drizzle-orm';
import type { ModuleDefinition } from '../../platform/module.js';
import { consumer } from '../../platform/events/consumers.js';
import { newId } from '../../platform/ids.js';
import { orderCancelled, orderDelivered, orderPlaced, orderShipped } from '../orders/events.js';
import { fulfillments } from './schema.js';
import { insertAtCommit } from '../../platform/db/commit-batch.js';

// Opened at the transaction's end: a consumer run's parcels in one insert.
const parcels = insertAtCommit(fulfillments, { onConflictDoNothing: true });

/** A parcel per order, opened when the order is placed and following it until delivery. */
export const fulfillmentModule: ModuleDefinition = {
  name: 'fulfillment',
  consumers: [
    consumer('fulfillment.open', orderPlaced, async (tx, event) => {
      await parcels.add(tx, [{ id: newId(), orderId: event.payload.orderId }]);
    }),
    consumer('fulfillment.shipped', orderShipped, async (tx, event) => {
      await tx.update(fulfillments).set({ status: 'shipped', carrier: event.payload.carrier, trackingNumber: event.payload.trackingNumber, shippedAt: sql`now()` })
        .where(eq(fulfillments.orderId, event.payload.orderId));
    }),
    consumer('fulfillment.delivered', orderDelivered, async (tx, event) => {
      await tx.update(fulfillments).set({ status: 'delivered', deliveredAt: sql`now()` }).where(eq(fulfillments.orderId, event.payload.orderId));
    }),
    consumer('fulfillment.cancelled', orderCancelled, async (tx, event) => {
      await tx.update(fulfillments).set({ status: 'cancelled' }).where(eq(fulfillments.orderId, event.payload.orderId));
    }),
  ],
};
