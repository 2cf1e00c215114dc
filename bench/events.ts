/**
 * `npm run bench:events`: how fast consumers on NATS JetStream work off a backlog (after a
 * worker's downtime, or behind a burst): BENCH_EVENTS events are published to the stream
 * first, then one inbox consumer starts and the time until it has handled them all is taken.
 * Runs of messages (the default) against one message per transaction (runMax 1), alternating
 * BENCH_ROUNDS times in one run so the machine's noise hits both. Before that, the relay's side:
 * how fast it moves a backlog of BENCH_EVENTS from the outbox into the stream, its batches
 * pipelined (NatsBus.publishBatch) against one acknowledged publish after another, alternating
 * too. PostgreSQL at DATABASE_URL,
 * NATS at NATS_URL. Writes bench/results/events.json.
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { openDatabase, type Database } from '../src/platform/db/database.js';
import { migrateDatabase } from '../src/platform/db/migrate.js';
import { ConsumerRunner, consumer } from '../src/platform/events/consumers.js';
import { EventRegistry } from '../src/platform/events/envelope.js';
import type { EventBus } from '../src/platform/events/bus.js';
import { NatsBus } from '../src/platform/events/nats-bus.js';
import { OutboxRelay } from '../src/platform/events/relay.js';
import { createLogger } from '../src/platform/observability/logger.js';
import { createServerDatabase } from '../test/support/server-database.js';
import { fillOutbox, tick } from './lib/relay-throughput.js';
import { printTable, writeResult } from './lib/report.js';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const events = Number(process.env.BENCH_EVENTS ?? 5000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const logger = createLogger('silent');
/** A stream of its own for each round, deleted when its bus closes. */
const freshStream = () => `BENCH_${randomBytes(6).toString('hex').toUpperCase()}`;

/** Times the relay moving `events` from the outbox into a fresh stream: batches pipelined, or (the bus without publishBatch) one event at a time. */
async function relayBacklog(database: Database, pipelined: boolean): Promise<number> {
  const nats = await NatsBus.connect({ url: natsUrl, stream: freshStream(), deleteStreamOnClose: true });
  const bus: EventBus = pipelined ? nats : { kind: 'nats', publish: (e) => nats.publish(e), subscribe: (...a) => nats.subscribe(...a), ping: () => nats.ping(), close: () => nats.close() };
  try {
    await fillOutbox(database, events);
    const relay = new OutboxRelay(database, bus, { pollMs: 5, batchSize: 500, logger });
    const started = performance.now();
    while ((await relay.drainOnce()) > 0) { /* the whole backlog into the stream */ }
    const seconds = (performance.now() - started) / 1000;
    await relay.stop();
    return Math.round(events / seconds);
  } finally {
    await nats.close();
  }
}

/** Publishes `events` to a fresh stream, then times one inbox consumer handling all of them. */
async function drainBacklog(database: Database, runMax: number): Promise<number> {
  const bus = await NatsBus.connect({ url: natsUrl, stream: freshStream(), deleteStreamOnClose: true, runMax });
  try {
    await fillOutbox(database, events);
    const relay = new OutboxRelay(database, bus, { pollMs: 5, batchSize: 500, logger });
    while ((await relay.drainOnce()) > 0) { /* the whole backlog into the stream */ }
    await relay.stop();

    const registry = new EventRegistry();
    registry.register(tick);
    const runner = new ConsumerRunner(database, registry, { maxAttempts: 1, backoffMs: 0, logger });
    let handled = 0;
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => (done = resolve));
    const started = performance.now();
    await runner.subscribeAll(bus, [consumer(`bench.inbox-${runMax}`, tick, async () => {
      if (++handled === events) done();
    })]);
    await finished;
    return Math.round(events / ((performance.now() - started) / 1000));
  } finally {
    await bus.close();
  }
}

const server = await createServerDatabase(databaseUrl);
const database = await openDatabase({ databaseUrl: server.url, dataDir: 'memory://', poolSize: 4 });
const oneAtATime: number[] = [];
const inRuns: number[] = [];
const sequential: number[] = [];
const pipelined: number[] = [];
try {
  await migrateDatabase(database, server.url);
  console.error(`relay into NATS: ${events} events, ${rounds} alternating rounds`);
  for (let r = 0; r < rounds; r++) {
    sequential.push(await relayBacklog(database, false));
    pipelined.push(await relayBacklog(database, true));
  }
  console.error(`NATS consumer backlog: ${events} events, ${rounds} alternating rounds`);
  for (let r = 0; r < rounds; r++) {
    oneAtATime.push(await drainBacklog(database, 1));
    inRuns.push(await drainBacklog(database, 64));
  }
} finally {
  await database.close();
  await server.drop();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
printTable(['NATS consumer, backlog of ' + events, 'events/s (median)', 'rounds'], [
  ['one message per transaction (runMax 1)', median(oneAtATime), oneAtATime.join(', ')],
  ['runs of messages (default, runMax 64)', median(inRuns), inRuns.join(', ')],
]);
printTable(['relay into NATS, backlog of ' + events, 'events/s (median)', 'rounds'], [
  ['one acknowledged publish after another', median(sequential), sequential.join(', ')],
  ['batches pipelined (publishBatch)', median(pipelined), pipelined.join(', ')],
]);
const relayRatio = Number((median(pipelined) / median(sequential)).toFixed(2));
console.log(`\npipelined batches are ${relayRatio}× one at a time`);
const ratio = Number((median(inRuns) / median(oneAtATime)).toFixed(2));
console.log(`\nruns are ${ratio}× one at a time; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);
const path = writeResult('events', {
  measuredAt: new Date().toISOString(), events, rounds, loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
  relayIntoNats: { sequentialEventsPerSecond: median(sequential), pipelinedEventsPerSecond: median(pipelined), ratio: relayRatio, sequentialRounds: sequential, pipelinedRounds: pipelined },
  natsBacklog: { oneAtATimeEventsPerSecond: median(oneAtATime), inRunsEventsPerSecond: median(inRuns), ratio, oneAtATimeRounds: oneAtATime, inRunsRounds: inRuns },
});
console.log(`wrote ${path}`);
