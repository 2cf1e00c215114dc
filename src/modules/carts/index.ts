import type { ModuleDefinition } from '../../platform/module.js';
import { cartRoutes } from './routes.js';
import { cartsPersonalData, eraseCustomerCarts } from './privacy.js';

/** Guest and customer carts; lines priced by the catalog's resolver, totals by totals.ts. */
export const cartsModule: ModuleDefinition = {
  name: 'carts',
  personalData: cartsPersonalData, consumers: [eraseCustomerCarts],
  routes(http, { database, config, logger }) {
    cartRoutes(http, database, pricingOf(config), logger);
  },
};

export const pricingOf = (config: { taxRateBps: number; taxInclusive: boolean; shippingFlatAmount: number; freeShippingOver: number }) => ({
  taxRateBps: config.taxRateBps, taxInclusive: config.taxInclusive, shippingFlatAmount: config.shippingFlatAmount, freeShippingOver: config.freeShippingOver,
});
