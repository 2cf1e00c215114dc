import type { ModuleDefinition } from '../../platform/module.js';
import { consumer, runConsumer } from '../../platform/events/consumers.js';
import { orderPlaced, orderShipped } from '../orders/events.js';
import { inventoryEvents } from './events.js';
import { inventoryRoutes } from './routes.js';
import { commitOrderStock, shipOrderStock } from './stock.js';

/** Stock per variant and location; reservations, commits and shipments driven by order events. */
export const inventoryModule: ModuleDefinition = {
  name: 'inventory',
  events: inventoryEvents,
  consumers: [
    runConsumer('inventory.commit-stock', orderPlaced, async (tx, events) => {
      await commitOrderStock(tx, events.map((e) => e.payload.orderId));
    }),
    consumer('inventory.ship-stock', orderShipped, async (tx, event) => {
      await shipOrderStock(tx, event.payload.orderId);
    }),
  ],
  routes(http, ctx) {
    inventoryRoutes(http, ctx.database);
  },
};
