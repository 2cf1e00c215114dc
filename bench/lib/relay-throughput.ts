import Type from 'typebox';
import { openDatabase, type Database } from '../../src/platform/db/database.js';
import { migrateDatabase } from '../../src/platform/db/migrate.js';
import { defineEvent, EventRegistry } from '../../src/platform/events/envelope.js';
import { publish } from '../../src/platform/events/outbox.js';
import { InProcessBus } from '../../src/platform/events/in-process-bus.js';
import { OutboxRelay } from '../../src/platform/events/relay.js';
import { ConsumerRunner, consumer } from '../../src/platform/events/consumers.js';
import { createLogger } from '../../src/platform/observability/logger.js';
import { createServerDatabase } from '../../test/support/server-database.js';

/** The benchmarks' event: a bare counter, so what is timed is the event machinery. */
export const tick = defineEvent({ type: 'bench.tick', aggregateType: 'bench', payload: Type.Object({ n: Type.Integer() }) });

/** Writes `events` ticks to the outbox, 500 to a transaction. */
export async function fillOutbox(database: Database, events: number): Promise<void> {
  for (let i = 0; i < events; i += 500) {
    await database.transaction((tx) => publish(tx, ...Array.from({ length: Math.min(500, events - i) }, (_, k) => tick.create(`agg-${(i + k) % 100}`, { n: i + k }))));
  }
}

export interface RelayFigures {
  events: number;
  /** Relay alone: read, publish to the bus, mark sent. */
  relayEventsPerSecond: number;
  /** Relay plus one consumer that records each event in its inbox in its own transaction. */
  withConsumerEventsPerSecond: number;
}

/** Fills the outbox, then times the relay draining it: once with no subscriber, once with an inbox consumer. */
export async function relayThroughput(databaseUrl: string | null, events: number): Promise<RelayFigures> {
  const server = databaseUrl ? await createServerDatabase(databaseUrl) : null;
  const database = await openDatabase({ databaseUrl: server?.url ?? null, dataDir: 'memory://', poolSize: 4 });
  const logger = createLogger('silent');
  try {
    await migrateDatabase(database, server?.url ?? null);
    const drain = async (relay: OutboxRelay) => {
      const started = performance.now();
      while ((await relay.drainOnce()) > 0) { /* until empty */ }
      return Math.round(events / ((performance.now() - started) / 1000));
    };

    await fillOutbox(database, events);
    const alone = new OutboxRelay(database, new InProcessBus(), { pollMs: 5, batchSize: 500, logger });
    const relayEventsPerSecond = await drain(alone);
    await alone.stop(); // hands the lease on

    await fillOutbox(database, events);
    const bus = new InProcessBus();
    const registry = new EventRegistry();
    registry.register(tick);
    const runner = new ConsumerRunner(database, registry, { maxAttempts: 1, backoffMs: 0, logger });
    await runner.subscribeAll(bus, [consumer('bench.noop', tick, async () => {})]);
    const withConsumerEventsPerSecond = await drain(new OutboxRelay(database, bus, { pollMs: 5, batchSize: 500, logger }));
    return { events, relayEventsPerSecond, withConsumerEventsPerSecond };
  } finally {
    await database.close();
    await server?.drop();
  }
}
