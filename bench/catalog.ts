/**
 * `npm run bench:catalog`: one run on this machine, autocannon at 50 connections, against a
 * 100,000-product catalog: a bare Fastify hello-world (the baseline) and GET /store/products/{handle}
 * in alternating rounds (BENCH_ROUNDS, 5), both servers up, so the machine's noise hits both and
 * each reports its median round; then GET /store/products?limit=20 and
 * GET /store/search?q= (a rotating set of shopper queries, typos included). Then, in this
 * process, uncached search latency of the in-process index against PostgreSQL full-text
 * (tsvector + GIN, on the same embedded database), the figures behind the engine choice.
 * Writes bench/results/catalog.json (the four HTTP rows) and catalog-details.json.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { load, medianRound, type LoadFigures } from './lib/load.js';
import { startServerProcess } from './lib/server-process.js';
import { printTable, writeResult } from './lib/report.js';
import { openDatabase, selectRows } from '../src/platform/db/database.js';
import { createLogger } from '../src/platform/observability/logger.js';
import { CatalogView } from '../src/modules/catalog/view.js';
import { searchProducts } from '../src/modules/catalog/listing.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const products = Number(process.env.BENCH_PRODUCTS ?? 100_000);
const dataDir = process.env.BENCH_CATALOG_DIR ?? '/tmp/cloudmart-bench-catalog';
/** BENCH_WRITE=0: print only (a trial on a busy machine must not replace the recorded results). */
const writeResults = process.env.BENCH_WRITE !== '0';
/** BENCH_ENGINES=0: skip the uncached engine comparison (HTTP rows only). */
const compareEngines = process.env.BENCH_ENGINES !== '0';
const QUERIES = ['t-shirt', 'tshrit', 'hoodie', 'hodie', 'wool scarf', 'rain jacket', 'sneak', 'organic cotton tee', 'backpack', 'leather boots', 'mug', 'candle lavender', 'tent', 'merino', 'jeans slim', 'bag'];

const three = (f: LoadFigures) => ({ rps: f.rps, p50Ms: f.p50Ms, p99Ms: f.p99Ms });

function ensureSeeded(): number {
  const marker = join(dataDir, `.seeded-${products}`);
  if (existsSync(marker)) return 0;
  console.error(`Seeding ${products} products into ${dataDir} (once; kept for later runs)`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, '../src/main.ts'), 'seed', '--products', String(products)], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`seeding failed with exit code ${result.status}`);
  writeFileSync(marker, new Date().toISOString());
  return Math.round((performance.now() - started) / 1000);
}

async function loadMany(url: string, paths: string[]): Promise<LoadFigures> {
  const options = { url, connections, requests: paths.map((path) => ({ method: 'GET' as const, path })) };
  await autocannon({ ...options, duration: 2 });
  const r = await autocannon({ ...options, duration: seconds });
  return { rps: Math.round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

const quantile = (sorted: number[], q: number) => Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(2));

async function engines() {
  const database = await openDatabase({ databaseUrl: null, dataDir, poolSize: 1 });
  try {
    const view = new CatalogView(database, createLogger('silent'));
    const loadStarted = performance.now();
    await view.loadAll();
    const loadSeconds = Number(((performance.now() - loadStarted) / 1000).toFixed(1));
    const inProcess: number[] = [];
    for (let round = 0; round < 10; round++) {
      for (const q of QUERIES) {
        const t = performance.now();
        searchProducts(view, { q, currency: 'USD', limit: 20 });
        inProcess.push(performance.now() - t);
      }
    }
    // PostgreSQL full-text: weighted tsvector (title A, tags B, description C) with a GIN index, ranked by ts_rank.
    await database.db.execute(sql`drop table if exists bench_fts`);
    await database.db.execute(sql`create table bench_fts as select id, setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', array_to_string(array(select jsonb_array_elements_text(tags)), ' ')), 'B') || setweight(to_tsvector('english', description_html), 'C') as v from catalog_products where status = 'published'`);
    await database.db.execute(sql`create index bench_fts_v on bench_fts using gin (v)`);
    const fts: number[] = [];
    let ftsTypoHits = 0;
    for (let round = 0; round < 3; round++) {
      for (const q of QUERIES) {
        const t = performance.now();
        const rows = await selectRows<{ id: string }>(database.db, sql`select id from bench_fts, plainto_tsquery('english', ${q}) query where v @@ query order by ts_rank(v, query) desc limit 20`);
        fts.push(performance.now() - t);
        if (round === 0 && (q === 'tshrit' || q === 'hodie') && rows.length > 0) ftsTypoHits++;
      }
    }
    await database.db.execute(sql`drop table bench_fts`);
    const typoHits = ['tshrit', 'hodie'].filter((q) => searchProducts(view, { q, currency: 'USD', limit: 20 }).total > 0).length;
    inProcess.sort((a, b) => a - b);
    fts.sort((a, b) => a - b);
    return {
      products: view.docs.size, viewLoadSeconds: loadSeconds, heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
      inProcess: { p50Ms: quantile(inProcess, 0.5), p99Ms: quantile(inProcess, 0.99), typoQueriesFound: `${typoHits}/2`, withFacetsAndHighlights: true },
      postgresFullText: { p50Ms: quantile(fts, 0.5), p99Ms: quantile(fts, 0.99), typoQueriesFound: `${ftsTypoHits}/2`, withFacetsAndHighlights: false, engine: 'PGlite (embedded PostgreSQL)' },
    };
  } finally {
    await database.close();
  }
}

const seedSeconds = ensureSeeded();
console.error(`HTTP: ${connections} connections, ${seconds} s each after 2 s warm-up, ${products} products; hello-world and by-handle in ${rounds} alternating rounds`);
const hello = await startServerProcess('servers/hello-world.ts');
const startedAt = performance.now();
const server = await startServerProcess('servers/cloudmart.ts', { DATA_DIR: dataDir, SEED_DEMO_DATA: 'false', DATABASE_URL: '', NATS_URL: '', REDIS_URL: '' });
const startSeconds = Number(((performance.now() - startedAt) / 1000).toFixed(1));
const helloRounds: LoadFigures[] = [];
const byHandleRounds: LoadFigures[] = [];
let list: LoadFigures;
let search: LoadFigures;
let listBytes = 0;
try {
  const page = await fetch(`${server.url}/store/products?limit=20`);
  const body = await page.text();
  listBytes = Buffer.byteLength(body);
  const handle = (JSON.parse(body) as { items: { handle: string }[] }).items[7]?.handle;
  if (!handle) throw new Error('the catalog is empty');
  for (let r = 0; r < rounds; r++) {
    helloRounds.push(await load(`${hello.url}/`, { connections, seconds }));
    byHandleRounds.push(await load(`${server.url}/store/products/${handle}`, { connections, seconds }));
  }
  list = await load(`${server.url}/store/products?limit=20`, { connections, seconds });
  search = await loadMany(server.url, QUERIES.map((q) => `/store/search?q=${encodeURIComponent(q)}`));
} finally {
  await hello.stop();
  await server.stop();
}
const helloWorld = medianRound(helloRounds);
const productByHandle = medianRound(byHandleRounds);

console.error('Search engines: uncached queries in process (in-memory index vs PostgreSQL full-text)');
const skipped = { p50Ms: NaN, p99Ms: NaN, typoQueriesFound: 'skipped' };
const searchEngines = compareEngines ? await engines() : { inProcess: skipped, postgresFullText: skipped };

printTable(['endpoint', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx'], [
  ['fastify hello-world', helloWorld.rps, helloWorld.p50Ms, helloWorld.p99Ms, helloWorld.errors, helloWorld.non2xx],
  ['GET /store/products/{handle}', productByHandle.rps, productByHandle.p50Ms, productByHandle.p99Ms, productByHandle.errors, productByHandle.non2xx],
  [`GET /store/products?limit=20 (${(listBytes / 1024).toFixed(1)} KB)`, list.rps, list.p50Ms, list.p99Ms, list.errors, list.non2xx],
  ['GET /store/search?q= (16 queries)', search.rps, search.p50Ms, search.p99Ms, search.errors, search.non2xx],
]);
console.log(`\nproduct-by-handle throughput is ${((100 * productByHandle.rps) / helloWorld.rps).toFixed(0)} % of hello-world (median rounds; hello-world ${helloRounds.map((f) => f.rps).join(', ')}; by handle ${byHandleRounds.map((f) => f.rps).join(', ')} req/s)`);
printTable(['search engine (uncached, in process)', 'p50 ms', 'p99 ms', 'typo queries found'], [
  ['in-process index (BM25F, facets, highlights)', searchEngines.inProcess.p50Ms, searchEngines.inProcess.p99Ms, searchEngines.inProcess.typoQueriesFound],
  ['PostgreSQL full-text (tsvector + GIN, ts_rank)', searchEngines.postgresFullText.p50Ms, searchEngines.postgresFullText.p99Ms, searchEngines.postgresFullText.typoQueriesFound],
]);
if (!writeResults) {
  console.log('\nBENCH_WRITE=0: results not written');
  process.exit(0);
}
const path = writeResult('catalog', { helloWorld: three(helloWorld), productByHandle: three(productByHandle), list: three(list), search: three(search) });
writeResult('catalog-details', {
  measuredAt: new Date().toISOString(), connections, seconds, rounds, products, seedSeconds, serverStartSeconds: startSeconds, listResponseBytes: listBytes,
  errors: { helloWorld: helloWorld.errors + helloWorld.non2xx, productByHandle: productByHandle.errors + productByHandle.non2xx, list: list.errors + list.non2xx, search: search.errors + search.non2xx },
  productByHandleToHelloWorldRatio: Number((productByHandle.rps / helloWorld.rps).toFixed(3)),
  helloWorldRounds: helloRounds.map((f) => f.rps), productByHandleRounds: byHandleRounds.map((f) => f.rps), queries: QUERIES, searchEngines,
});
console.log(`\nwrote ${path}`);
