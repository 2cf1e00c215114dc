/**
 * The `cloudmart` command: serve | worker | migrate | seed | events:dead | events:replay | audit:verify | search:reindex.
 * Exit codes: 0 done, 1 failed, 2 bad usage or configuration.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createApp, type App, type Role } from './app.js';
import { DataDirLockedError } from './platform/db/data-dir-lock.js';
import { openDatabase } from './platform/db/database.js';
import { migrateDatabase } from './platform/db/migrate.js';
import { createLogger } from './platform/observability/logger.js';
import { runSeeders, SeedError } from './platform/seed.js';
import { verifyAuditChain } from './platform/security/audit.js';
import { allModules } from './modules/index.js';
import { reindexSearch } from './modules/catalog/reindex.js';
import { train, TrainUsageError, TRAIN_HELP } from './cli/train.js';

const HELP = `Usage: cloudmart <command> [options]

Commands:
  serve                 Start the API (and, unless SERVE_WITH_WORKER=false, the relay and consumers)
  worker                Start the relay and consumers only (scaled deployments); serves /health, /ready, /metrics
  migrate               Apply database migrations and exit
  seed [--seed N] [--<size> N …]
                        Load demo data, deterministic from --seed; sizes such as --products 100000
  events:dead           List dead-lettered events
  events:replay <id…> | --all
                        Replay dead letters through their consumers
  audit:verify          Check the hash-chained audit log; exit 1 if any entry was edited, inserted or deleted
  search:reindex        Rebuild the product search index (progress bar); running servers reload theirs
  train intent|sentiment --data FILE.csv […]
                        Fit a language model on your CSV and write it as JSON (train --help)

Configuration comes from environment variables; see README.md.`;

class UsageError extends Error {}

async function serve(config: Config, role: Role): Promise<void> {
  const app = await createApp(config, { role });
  if (role !== 'worker' && (await app.seedIfFirstStart())) app.logger.info('demo data seeded (first start)');
  await app.startBackground();
  const address = await app.listen();
  const shown = address.replace('127.0.0.1', 'localhost');
  console.log(role === 'worker' ? `CloudMart worker running; health at ${shown}/health` : `CloudMart is running at ${shown}  (API docs: ${shown}/docs)`);
  await shutdownOnSignal(app);
}

function shutdownOnSignal(app: App): Promise<void> {
  return new Promise((resolve) => {
    let closing = false;
    const stop = (signal: string) => {
      if (closing) return;
      closing = true;
      app.logger.info({ signal }, 'shutting down: finishing in-flight requests');
      const force = setTimeout(() => {
        app.logger.error('shutdown timed out; exiting');
        process.exit(1);
      }, app.config.shutdownTimeoutMs);
      force.unref();
      app.close().then(() => {
        app.logger.info('shut down cleanly');
        resolve();
      }, (error: unknown) => {
        app.logger.error({ err: error }, 'shutdown failed');
        process.exitCode = 1;
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

async function migrate(config: Config): Promise<void> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await migrateDatabase(database, config.databaseUrl);
    console.log(`migrations applied (${database.kind})`);
  } finally {
    await database.close();
  }
}

async function seed(config: Config, args: string[]): Promise<void> {
  let seedNumber = 1;
  const sizes: Record<string, number> = {};
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i] ?? '';
    const value = args[i + 1];
    if (!flag.startsWith('--') || value === undefined || !/^\d+$/.test(value)) throw new UsageError(`seed takes --seed N and --<size> N pairs; got ${JSON.stringify(args.slice(i).join(' '))}`);
    if (flag === '--seed') seedNumber = Number(value);
    else sizes[flag.slice(2)] = Number(value);
  }
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  try {
    await migrateDatabase(database, config.databaseUrl);
    const { ran } = await runSeeders(database, allModules.flatMap((m) => m.seeders ?? []), { seed: seedNumber, sizes, logger });
    console.log(ran.length ? `seeded with --seed ${seedNumber}: ${ran.join(', ')}` : 'no module has demo data yet; nothing to seed');
  } finally {
    await database.close();
  }
}

async function deadLetters(config: Config, command: string, args: string[]): Promise<void> {
  const app = await createApp(config, { role: 'worker', logger: createLogger('warn') });
  try {
    // Registers consumers by name without subscribing, so replay can find each one's handler.
    await app.consumers.subscribeAll({ kind: 'in-process', publish: async () => {}, subscribe: async () => {}, ping: async () => {}, close: async () => {} },
      app.consumerDefinitions);
    const pending = await app.consumers.listDeadLetters();
    if (command === 'events:dead') {
      if (pending.length === 0) console.log('no dead letters');
      for (const d of pending) console.log(`${d.id}  ${d.failedAt}  ${d.consumer}  ${d.eventType}  event ${d.eventId}  attempts ${d.attempts}  ${d.error}`);
      return;
    }
    const all = args.includes('--all');
    const ids = all ? pending.map((d) => d.id) : args;
    if (ids.length === 0) throw new UsageError('events:replay needs dead-letter ids or --all');
    let failed = 0;
    for (const id of ids) {
      const result = await app.consumers.replay(id);
      if (result.outcome === 'failed' || result.outcome === 'unknown-consumer') failed++;
      console.log(`${id}  ${result.outcome}${result.error ? `  ${result.error}` : ''}`);
    }
    if (failed > 0) process.exitCode = 1;
  } finally {
    await app.close();
  }
}

async function auditVerify(config: Config): Promise<void> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await migrateDatabase(database, config.databaseUrl);
    const report = await verifyAuditChain(database.db);
    const head = report.head ? `head #${report.head.seq} ${report.head.hash}` : 'empty';
    if (report.ok) {
      console.log(`audit log intact: ${report.entries} entries, ${head}`);
      return;
    }
    console.error(`audit log BROKEN at entry #${report.brokenAt?.seq}: ${report.brokenAt?.reason} (${report.entries} entries verified before it)`);
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}

async function searchReindex(config: Config): Promise<void> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await migrateDatabase(database, config.databaseUrl);
    const { products, seconds } = await reindexSearch(database);
    console.log(`search index rebuilt: ${products} published products in ${seconds} s; running servers reload theirs within CATALOG_SYNC_MS`);
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv.slice(0, 1), allowPositionals: true, strict: false });
  const command = positionals[0] ?? 'help';
  const rest = argv.slice(1);
  if (command === 'help' || command === '--help' || command === '-h') {
    console.log(HELP);
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve': return serve(config, config.serveWithWorker ? 'all' : 'api');
    case 'worker': return serve(config, 'worker');
    case 'migrate': return migrate(config);
    case 'seed': return seed(config, rest);
    case 'events:dead':
    case 'events:replay': return deadLetters(config, command, rest);
    case 'audit:verify': return auditVerify(config);
    case 'search:reindex': return searchReindex(config);
    case 'train': {
      if (rest.includes('--help')) return console.log(TRAIN_HELP);
      const result = train(rest, config.dataDir);
      console.log(`${result.kind} model: ${result.summary}\nwrote ${result.out} (${(result.bytes / 1e6).toFixed(1)} MB)`);
      return;
    }
    default: throw new UsageError(`Unknown command ${JSON.stringify(command)}.\n\n${HELP}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof UsageError || error instanceof SeedError || error instanceof TrainUsageError) {
    console.error(error.message);
    process.exit(2);
  }
  if (error instanceof DataDirLockedError) {
    console.error(error.message);
    process.exit(1);
  }
  console.error(error);
  process.exit(1);
});
