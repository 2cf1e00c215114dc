import { consumer, type ConsumerDefinition } from '../../platform/events/consumers.js';
import type { ModuleDefinition } from '../../platform/module.js';
import { FieldCipher } from '../../platform/security/field-crypto.js';
import { persistedSecret } from '../../platform/security/secrets.js';
import { customerErased } from '../identity/events.js';
import { anySubscriber, queueDeliveries } from './deliveries.js';
import { redactDeliveries } from './privacy.js';
import type { WebhookDeps } from './deps.js';
import { webhookRoutes } from './routes.js';
import { DeliveryWorker } from './worker.js';

/**
 * Outbound webhooks: admins register endpoints for event types; a consumer of every event
 * queues one delivery per subscribed endpoint in its inbox transaction (events no endpoint
 * wants are passed over before any transaction, by one read of the endpoints); a worker in each
 * background process signs (Standard Webhooks) and sends them, retries with backoff and
 * pauses an endpoint that keeps failing. When a customer is erased, the stored delivery bodies
 * of their events lose the fields their publishers declared personal.
 */
export const webhooksModule: ModuleDefinition = {
  name: 'webhooks',
  async setup(ctx) {
    // The platform's field key, the same one identity seals TOTP secrets with.
    const fieldKey = ctx.config.encryptionKey ?? (await persistedSecret(ctx.database.db, 'field-encryption-key', () => FieldCipher.generateKey()));
    const deps: WebhookDeps = {
      database: ctx.database, cipher: new FieldCipher(FieldCipher.parseKey(fieldKey)), config: ctx.config, logger: ctx.logger,
      eventTypes: [...new Set(ctx.events.map((e) => e.type))].sort(),
    };
    const worker = new DeliveryWorker(deps);
    const fanOut: ConsumerDefinition = {
      name: 'webhooks.queue-deliveries',
      types: deps.eventTypes,
      wants: (events) => anySubscriber(deps.database.db, events),
      async handle(tx, event) {
        if ((await queueDeliveries(tx, event)) > 0) ctx.database.afterCommit(tx, () => worker.nudge());
      },
    };
    const personalEvents = ctx.personalData.flatMap((part) => part.events ?? []);
    const redactErased = consumer('webhooks.redact-erased-customer', customerErased, async (tx, { payload }) => {
      await redactDeliveries(tx, personalEvents, payload.customerId);
    });
    return {
      consumers: [...(deps.eventTypes.length > 0 ? [fanOut] : []), ...(personalEvents.length > 0 ? [redactErased] : [])],
      routes: (http) => webhookRoutes(http, deps),
      startBackground: () => worker.start(),
      close: () => worker.stop(),
    };
  },
};
