import type { ModuleDefinition } from '../../platform/module.js';
import { pricingOf } from '../carts/index.js';
import { createProviders, paymentEvents } from '../payments/index.js';
import { testProviderRoutes } from '../payments/routes.js';
import { checkoutRoutes } from './checkout-routes.js';
import { orderConsumers } from './consumers.js';
import type { OrderDeps } from './deps.js';
import { orderEvents } from './events.js';
import { orderRoutes } from './routes.js';
import { OwnCheckouts } from './own-checkouts.js';
import { ordersSeeder } from './seed-orders.js';
import { anonymiseErasedCustomerOrders, ordersPersonalData } from './privacy.js';
import { resumeMoneyMovements } from './payments.js';
import { resumeCaptures } from './capture.js';
import { sweepExpiredCheckouts } from './sweeper.js';

/**
 * Checkout, orders and the payments they take. One runtime per app holds the payment
 * providers and the sweeper of expired stock holds.
 */
export const ordersModule: ModuleDefinition = {
  name: 'orders',
  events: [...orderEvents, ...paymentEvents],
  seeders: [ordersSeeder],
  personalData: ordersPersonalData, consumers: [anonymiseErasedCustomerOrders],
  async setup(ctx) {
    const { test, providers, wire } = await createProviders(ctx);
    const deps: OrderDeps = {
      database: ctx.database, providers, pricing: pricingOf(ctx.config), reservationTtlSeconds: ctx.config.reservationTtlSeconds,
      capture: ctx.config.paymentCapture, logger: ctx.logger,
      returnWindowDays: ctx.config.returnWindowDays, ownCheckouts: new OwnCheckouts(),
    };
    const every = Math.min(10_000, Math.max(200, (ctx.config.reservationTtlSeconds * 1000) / 4));
    let sweeping = false;
    const sweeper = setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      sweepExpiredCheckouts(deps).then(() => resumeMoneyMovements(deps)).then(() => resumeCaptures(deps)).catch((error: unknown) => ctx.logger.warn({ err: error }, 'sweep failed')).finally(() => {
        sweeping = false;
      });
    }, every);
    sweeper.unref();
    return {
      consumers: orderConsumers(deps),
      routes(http) {
        wire(http);
        checkoutRoutes(http, deps);
        orderRoutes(http, deps);
        testProviderRoutes(http, test);
      },
      async close() {
        clearInterval(sweeper);
        test.close();
      },
    };
  },
};
