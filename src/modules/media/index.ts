import multipart from '@fastify/multipart';
import { consumer } from '../../platform/events/consumers.js';
import type { ModuleDefinition } from '../../platform/module.js';
import { mediaReady, mediaUploaded } from './events.js';
import { mediaRoutes } from './routes.js';
import { mediaStorage } from './storage.js';
import { VariantWorker } from './worker.js';

/** Media: image uploads checked by content, stored on local disk or in an S3-compatible bucket, responsive variants made in the background. */
export const mediaModule: ModuleDefinition = {
  name: 'media',
  events: [mediaUploaded, mediaReady],
  async setup(ctx) {
    const storage = mediaStorage(ctx.config.mediaS3, ctx.config.mediaDir);
    const limits = { maxBytes: ctx.config.mediaMaxBytes, maxPixels: ctx.config.mediaMaxPixels };
    const worker = new VariantWorker(ctx.database, storage, limits.maxPixels, ctx.logger);
    let resumed = false;
    return {
      // The handler runs inside the consumer's transaction: it must not wait on other queries (PGlite has one
      // connection, so that would deadlock); it only enqueues, and the worker reads after the commit.
      consumers: [consumer('media.generate-variants', mediaUploaded, async (_tx, event) => {
        if (!resumed) {
          resumed = true;
          setImmediate(() => void worker.resumePending().catch((error: unknown) => ctx.logger.warn({ err: error }, 'media resume failed')));
        }
        worker.enqueue(event.payload.mediaId);
      })],
      async routes(http) {
        await http.register(multipart, { limits: { fileSize: limits.maxBytes, files: 1 } });
        mediaRoutes(http, ctx.database, storage, limits);
      },
      close: async () => {
        await worker.stop();
        storage.close?.();
      },
    };
  },
};
