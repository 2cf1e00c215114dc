import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../../platform/observability/logger.js';
import type { CatalogView } from './view.js';

const CHANNEL = 'cloudmart:catalog:changed';

/**
 * With several API replicas, a write in one tells the others at once through Redis pub/sub
 * (the outbox follower would reach them within CATALOG_SYNC_MS anyway; this closes the gap
 * to a network round trip).
 */
export async function redisSync(url: string, view: CatalogView, logger: Logger): Promise<{ close(): Promise<void> }> {
  const origin = randomUUID();
  const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const subscriber = new Redis(url, { lazyConnect: true });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.subscribe(CHANNEL);
  subscriber.on('message', (_channel: string, message: string) => {
    try {
      const change = JSON.parse(message) as { origin: string; productIds: string[]; meta: boolean };
      if (change.origin === origin) return;
      view.refresh(change.productIds, change.meta, false).catch((error: unknown) => logger.warn({ err: error }, 'catalog refresh from redis failed'));
    } catch (error) {
      logger.warn({ err: error }, 'bad catalog change message on redis');
    }
  });
  view.onChange((productIds, meta) => {
    publisher.publish(CHANNEL, JSON.stringify({ origin, productIds, meta })).catch((error: unknown) => logger.warn({ err: error }, 'catalog change not sent to redis'));
  });
  return {
    async close() {
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
