import type { ModuleDefinition } from '../../platform/module.js';
import { regionRoutes } from './routes.js';
import { regionsSeeder } from './seed.js';

/** Zones of countries with their tax rates, pricing mode (inclusive or exclusive) and shipping options. */
export const regionsModule: ModuleDefinition = {
  name: 'regions',
  routes(http, ctx) {
    regionRoutes(http, ctx.database);
  },
  seeders: [regionsSeeder],
};
