import type { ModuleDefinition } from '../platform/module.js';
import { catalogModule } from './catalog/index.js';
import { identityModule } from './identity/index.js';
import { mediaModule } from './media/index.js';
import { cartsModule } from './carts/index.js';
import { inventoryModule } from './inventory/index.js';
import { ordersModule } from './orders/index.js';
import { fulfillmentModule } from './fulfillment/index.js';
import { notificationsModule } from './notifications/index.js';
import { promotionsModule } from './promotions/index.js';
import { regionsModule } from './regions/index.js';
import { webhooksModule } from './webhooks/index.js';

/** Every business module, in the order their routes and consumers are registered. */
export const allModules: readonly ModuleDefinition[] = [
  identityModule, catalogModule, mediaModule, inventoryModule, regionsModule, promotionsModule, cartsModule, ordersModule, fulfillmentModule, notificationsModule, webhooksModule,
];
