import { readFileSync } from 'node:fs';
import { count, isNull, min } from 'drizzle-orm';
import type { Config } from './config.js';
import { openDatabase, type Database } from './platform/db/database.js';
import { migrateDatabase } from './platform/db/migrate.js';
import type { EventBus } from './platform/events/bus.js';
import { InProcessBus } from './platform/events/in-process-bus.js';
import { NatsBus } from './platform/events/nats-bus.js';
import { EventRegistry } from './platform/events/envelope.js';
import { ConsumerRunner } from './platform/events/consumers.js';
import { OutboxRelay, type RelayOptions } from './platform/events/relay.js';
import { outbox } from './platform/events/schema.js';
import { createHttpServer, type HttpServer } from './platform/http/server.js';
import { platformRoutes } from './platform/http/platform-routes.js';
import { createMailer } from './platform/mail/mailer.js';
import { outgoingMail } from './platform/mail/schema.js';
import { createLogger, type Logger } from './platform/observability/logger.js';
import { Metrics } from './platform/observability/metrics.js';
import type { ConsumerDefinition } from './platform/events/consumers.js';
import type { ModuleDefinition, ModuleRuntime } from './platform/module.js';
import { runSeeders, wasSeeded } from './platform/seed.js';
import { allModules } from './modules/index.js';

export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** What this process does: the whole shop, the API only, or the background work only. */
export type Role = 'all' | 'api' | 'worker';

export interface AppOptions {
  role?: Role;
  modules?: readonly ModuleDefinition[];
  logger?: Logger;
  /** Tests: delete the NATS stream when the app closes. */
  ephemeralStream?: boolean;
  /** Tests: fault injection and tuning for the relay. */
  relay?: Pick<RelayOptions, 'afterPublish' | 'batchSize'>;
  /** Run migrations while creating the app (default true). */
  migrate?: boolean;
}

export interface App {
  readonly config: Config;
  readonly role: Role;
  readonly http: HttpServer;
  readonly database: Database;
  readonly bus: EventBus;
  readonly events: EventRegistry;
  readonly relay: OutboxRelay;
  readonly consumers: ConsumerRunner;
  /** Every consumer of every module, static and runtime-built (replay finds handlers by name here). */
  readonly consumerDefinitions: readonly ConsumerDefinition[];
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Starts the relay and consumers (roles all and worker). */
  startBackground(): Promise<void>;
  /** Seeds demo data on the first start of an embedded database; true when it did. */
  seedIfFirstStart(seed?: number): Promise<boolean>;
  listen(): Promise<string>;
  /** Graceful: stop accepting, finish in-flight requests, stop the relay and consumers, close the bus and database. */
  close(): Promise<void>;
}

/** Builds one isolated CloudMart: no global state, so tests start as many as they like. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const role = options.role ?? 'all';
  const modules = options.modules ?? allModules;
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = new Metrics();
  const startedAt = Date.now();

  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  let bus: EventBus | null = null;
  try {
    if (options.migrate ?? true) await migrateDatabase(database, config.databaseUrl);
    bus = config.natsUrl
      ? await NatsBus.connect({
        url: config.natsUrl, stream: config.natsStream, ackWaitMs: config.natsAckWaitMs, deleteStreamOnClose: options.ephemeralStream,
        onError: (error, context) => logger.warn({ err: error, context }, 'event bus delivery failed'),
      })
      : new InProcessBus();
  } catch (error) {
    await database.close();
    throw error;
  }
  const eventBus = bus;

  const events = new EventRegistry();
  for (const m of modules) events.register(...(m.events ?? []));
  const consumers = new ConsumerRunner(database, events, {
    maxAttempts: config.consumerMaxAttempts,
    backoffMs: config.consumerBackoffMs,
    logger,
    onOutcome: (name, outcome) => metrics.consumerOutcomes.inc({ consumer: name, outcome }),
  });
  const relay = new OutboxRelay(database, eventBus, {
    pollMs: config.relayPollMs, lingerMs: config.relayLingerMs, logger, ...options.relay, onPublished: (n) => metrics.eventsPublished.inc(n),
  });

  metrics.gauge('outbox_pending_events', 'Outbox events not yet published', async () => {
    const [row] = await database.db.select({ n: count() }).from(outbox).where(isNull(outbox.publishedAt));
    return row?.n ?? 0;
  });
  metrics.gauge('outbox_relay_lag_seconds', 'Age of the oldest unpublished outbox event', async () => {
    const [row] = await database.db.select({ oldest: min(outbox.occurredAt) }).from(outbox).where(isNull(outbox.publishedAt));
    return row?.oldest ? Math.max(0, (Date.now() - new Date(row.oldest).getTime()) / 1000) : 0;
  });
  metrics.gauge('db_pool_connections_total', 'Database pool connections', async () => database.poolStats()?.total ?? null);
  metrics.gauge('db_pool_connections_idle', 'Idle database pool connections', async () => database.poolStats()?.idle ?? null);
  metrics.gauge('db_pool_clients_waiting', 'Queries waiting for a pool connection', async () => database.poolStats()?.waiting ?? null);

  const mailer = createMailer(database, { smtpUrl: config.smtpUrl, from: config.mailFrom, logger, retryMs: config.mailRetryMs });
  metrics.gauge('mail_outgoing_pending', 'E-mails queued for the SMTP server, not yet accepted by it', async () => {
    const [row] = await database.db.select({ n: count() }).from(outgoingMail);
    return row?.n ?? 0;
  });

  const context = {
    database, logger, config, mailer, events: modules.flatMap((m) => m.events ?? []),
    personalData: modules.flatMap((m) => (m.personalData ? [m.personalData] : [])),
  };
  const runtimes: ModuleRuntime[] = [];
  const closeRuntimes = async () => {
    for (const r of runtimes.reverse()) await r.close?.();
  };
  let http: HttpServer;
  try {
    for (const m of modules) if (m.setup) runtimes.push(await m.setup(context));
    const authorizers = runtimes.filter((r) => r.authorizer);
    if (authorizers.length > 1) throw new Error('More than one module supplies an authorizer');
    http = await createHttpServer({
      logger, metrics, bodyLimitBytes: config.bodyLimitBytes, corsOrigins: config.corsOrigins, trustProxy: config.trustProxy, version: VERSION, authorize: authorizers[0]?.authorizer,
    });
    platformRoutes(http, { database, bus: eventBus, metrics, version: VERSION, startedAt });
    if (role !== 'worker') {
      for (const m of modules) await m.routes?.(http, context);
      for (const r of runtimes) await r.routes?.(http);
    }
    await http.ready();
  } catch (error) {
    await closeRuntimes();
    await mailer.close();
    await eventBus.close();
    await database.close();
    throw error;
  }
  const consumerDefinitions = [...modules.flatMap((m) => m.consumers ?? []), ...runtimes.flatMap((r) => r.consumers ?? [])];

  let background = false;
  const app: App = {
    config, role, http, database, bus: eventBus, events, relay, consumers, consumerDefinitions, metrics, logger,
    async startBackground() {
      if (background || role === 'api') return;
      background = true;
      await consumers.subscribeAll(eventBus, consumerDefinitions);
      relay.start();
      mailer.start();
      for (const r of runtimes) await r.startBackground?.();
    },
    async seedIfFirstStart(seed = 1) {
      if (!config.seedDemoData || database.kind !== 'pglite' || (await wasSeeded(database))) return false;
      await runSeeders(database, modules.flatMap((m) => m.seeders ?? []), { seed, logger });
      return true;
    },
    async listen() {
      return http.listen({ port: config.port, host: config.host });
    },
    async close() {
      await http.close();
      await relay.stop();
      await eventBus.close();
      await closeRuntimes();
      await mailer.close();
      await database.close();
    },
  };
  return app;
}
