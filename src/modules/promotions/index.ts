import type { ModuleDefinition } from '../../platform/module.js';
import { consumer } from '../../platform/events/consumers.js';
import { orderCancelled } from '../orders/events.js';
import { promotionEvents } from './events.js';
import { promotionRoutes } from './routes.js';
import { promotionsSeeder } from './seed.js';
import { releaseRedemptions } from './service.js';

/**
 * Codes and automatic promotions. Carts evaluate them (carts/pricing.ts), the order takes
 * their uses when it is placed, and a cancelled order gives its uses back.
 */
export const promotionsModule: ModuleDefinition = {
  name: 'promotions',
  events: promotionEvents,
  consumers: [
    consumer('promotions.release-on-cancel', orderCancelled, async (tx, event) => {
      await releaseRedemptions(tx, event.payload.orderId, event.payload.reason);
    }),
  ],
  routes(http, ctx) {
    promotionRoutes(http, ctx.database);
  },
  seeders: [promotionsSeeder],
};
