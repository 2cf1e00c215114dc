import type { Database } from '../../platform/db/database.js';
import { publish } from '../../platform/events/outbox.js';
import { progress } from '../../platform/cli/progress.js';
import { createLogger } from '../../platform/observability/logger.js';
import { catalogChanged } from './events.js';
import { CatalogView } from './view.js';

/**
 * `cloudmart search:reindex`: builds the search index from the database (with a progress
 * bar) to check it and report its size, then announces a bulk change so every running
 * process rebuilds its own in-memory index and catalog view from scratch.
 */
export async function reindexSearch(database: Database, stream: NodeJS.WriteStream = process.stderr): Promise<{ products: number; seconds: number }> {
  const started = performance.now();
  const view = new CatalogView(database, createLogger('warn'));
  let bar: ReturnType<typeof progress> | null = null;
  let last = 0;
  await view.loadAll((done, total) => {
    bar ??= progress('search index', total, stream);
    bar.tick(done - last);
    last = done;
  });
  if (bar) (bar as ReturnType<typeof progress>).done();
  await database.transaction((tx) => publish(tx, catalogChanged.create('reindex', { kind: 'bulk', id: 'reindex', productIds: [] })));
  return { products: view.search.size, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) };
}
