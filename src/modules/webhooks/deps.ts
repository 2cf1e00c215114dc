import type { Config } from '../../config.js';
import type { Database } from '../../platform/db/database.js';
import type { Logger } from '../../platform/observability/logger.js';
import type { FieldCipher } from '../../platform/security/field-crypto.js';

/** What the webhooks module holds for one app instance. */
export interface WebhookDeps {
  database: Database;
  cipher: FieldCipher;
  config: Config;
  logger: Logger;
  /** Every event type the app publishes: the ones an endpoint may subscribe to. */
  eventTypes: readonly string[];
}
