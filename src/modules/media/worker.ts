import { eq } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.js';
import type { Logger } from '../../platform/observability/logger.js';
import { generateVariants, markFailed } from './service.js';
import { mediaAssets } from './schema.js';
import type { MediaStorage } from './storage.js';

/**
 * Runs image processing one asset at a time, outside any database transaction (encoding takes
 * seconds; holding a transaction, or PGlite's single connection, that long would stall the
 * shop). The media.uploaded consumer only enqueues; assets left `processing` by a crash are
 * picked up again when the worker starts.
 */
export class VariantWorker {
  private queue: string[] = [];
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly database: Database, private readonly storage: MediaStorage, private readonly maxPixels: number, private readonly logger: Logger) {}

  enqueue(id: string): void {
    if (this.stopped || this.queue.includes(id)) return;
    this.queue.push(id);
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  async resumePending(): Promise<void> {
    const rows = await this.database.db.select({ id: mediaAssets.id }).from(mediaAssets).where(eq(mediaAssets.status, 'processing'));
    for (const r of rows) this.enqueue(r.id);
  }

  private async drain(): Promise<void> {
    for (let id = this.queue.shift(); id !== undefined && !this.stopped; id = this.queue.shift()) {
      try {
        await generateVariants(this.database, this.storage, id, this.maxPixels);
      } catch (error) {
        this.logger.error({ err: error, mediaId: id }, 'media variants failed');
        await markFailed(this.database.db, id, error instanceof Error ? error.message : String(error)).catch(() => {});
      }
    }
  }

  /** Waits for the current asset, drops the rest (they are still `processing` and resume on the next start). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue = [];
    await this.running;
  }

  /** Tests and seeding: resolves when the queue is empty. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}
