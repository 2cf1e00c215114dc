import type { ModuleDefinition } from '../../platform/module.js';
import { adminRoutes } from './admin-routes.js';
import { catalogEvents } from './events.js';
import { reviewRoutes } from './review-routes.js';
import { catalogSeeder } from './seed.js';
import { storeRoutes } from './store-routes.js';
import { CatalogView } from './view.js';
import { importExportRoutes } from './csv-routes.js';
import { redisSync } from './redis-sync.js';
import { catalogConsumers, receivedProduct } from './consumers.js';
import { anonymiseErasedCustomerReviews, reviewsPersonalData } from './privacy.js';

/**
 * Catalog: products, variants, prices, categories, collections, reviews. Store reads are
 * served from an in-memory view of the published catalog (see view.ts); writes go to the
 * database and announce themselves through the outbox.
 */
export const catalogModule: ModuleDefinition = {
  name: 'catalog',
  events: catalogEvents,
  seeders: [catalogSeeder],
  personalData: reviewsPersonalData, consumers: [...catalogConsumers, anonymiseErasedCustomerReviews],
  async routes(http, ctx) {
    const view = new CatalogView(ctx.database, ctx.logger);
    await view.loadAll();
    view.follow(ctx.config.catalogSyncMs);
    const redis = ctx.config.redisUrl ? await redisSync(ctx.config.redisUrl, view, ctx.logger) : null;
    http.addHook('onClose', async () => {
      await view.stop();
      await redis?.close();
    });
    storeRoutes(http, view);
    adminRoutes(http, ctx.database, view);
    reviewRoutes(http, ctx.database, view, receivedProduct);
    importExportRoutes(http, ctx.database, view);
  },
};
