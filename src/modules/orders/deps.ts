import type { Database } from '../../platform/db/database.js';
import type { Logger } from '../../platform/observability/logger.js';
import type { PricingSettings } from '../carts/service.js';
import type { Providers } from '../payments/service.js';
import type { CompletionResult } from './complete.js';

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
  /**
   * This process's checkout requests past opening their checkout and not yet answered, by
   * checkout id: the processor's webhook for one of them waits for its answer instead of racing
   * it. Only a shortcut: a webhook that finds nothing here (another process runs the request,
   * or it failed) completes the checkout itself, serialized by the cart's row.
   */
  checkoutsUnderWay: Map<string, Promise<CompletionResult>>;
}
