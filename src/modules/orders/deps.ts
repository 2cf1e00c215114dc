import type { Database } from '../../platform/db/database.js';
import type { Logger } from '../../platform/observability/logger.js';
import type { PricingSettings } from '../carts/service.js';
import type { Providers } from '../payments/service.js';
import type { OwnCheckouts } from './own-checkouts.js';

/** What checkout and order handling need from the app, built once per app instance. */
export interface OrderDeps {
  database: Database;
  providers: Providers;
  pricing: PricingSettings;
  reservationTtlSeconds: number;
  capture: 'immediate' | 'on-fulfilment';
  logger: Logger;
  /** Days after delivery in which a customer may ask for a return (RETURN_WINDOW_DAYS). */
  returnWindowDays: number;
  /** This process's own checkouts, running and lately placed, for the processor's webhooks about them. */
  ownCheckouts: OwnCheckouts;
}
