import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import Type from 'typebox';
import { sql } from 'drizzle-orm';
import { defineEvent, InvalidEventError } from '../src/platform/events/envelope.js';
import { consumer, runConsumer } from '../src/platform/events/consumers.js';
import { publish } from '../src/platform/events/outbox.js';
import { selectRows } from '../src/platform/db/database.js';
import { OutboxRelay } from '../src/platform/events/relay.js';
import type { ModuleDefinition } from '../src/platform/module.js';
import { eventually, startTestApp, type TestApp } from './support/test-app.js';

/**
 * The delivery guarantees of DESIGN.md "Events", on whichever bus this run uses:
 * in-process by default, NATS JetStream when NATS_URL is set.
 */
const credited = defineEvent({
  type: 'test.credited',
  aggregateType: 'account',
  payload: Type.Object({ amount: Type.Integer({ minimum: 1 }), n: Type.Integer() }),
});

/** How many times the handler should fail for an event id before it succeeds (Infinity: always). */
let failuresLeft: Map<string, number>;

const applyCredit = consumer('ledger.apply-credit', credited, async (tx, event) => {
  const left = failuresLeft.get(event.id) ?? 0;
  if (left > 0) {
    failuresLeft.set(event.id, left - 1);
    throw new Error(`induced failure for ${event.id}`);
  }
  await tx.execute(sql`insert into test_effects (event_id, account, n, amount) values (${event.id}, ${event.aggregateId}, ${event.payload.n}, ${event.payload.amount})`);
});

// Handles runs whole: one row per call, with the events it was given.
const countRuns = runConsumer('ledger.count-runs', credited, async (tx, events) => {
  await tx.execute(sql`insert into test_runs (size, ns) values (${events.length}, ${events.map((e) => e.payload.n).join(',')})`);
});

const ledger: ModuleDefinition = { name: 'ledger', events: [credited], consumers: [applyCredit, countRuns] };

let app: TestApp;

beforeEach(async () => {
  failuresLeft = new Map();
  app = await startTestApp({ modules: [ledger], background: false, env: { CONSUMER_MAX_ATTEMPTS: '4' } });
  await app.database.db.execute(sql`create table test_effects (seq serial primary key, event_id uuid not null, account text not null, n integer not null, amount integer not null)`);
  await app.database.db.execute(sql`create table test_runs (seq serial primary key, size integer not null, ns text not null)`);
});
afterEach(async () => app.close());

async function credit(account: string, n: number, amount = 100) {
  const event = credited.create(account, { amount, n });
  await app.database.transaction((tx) => publish(tx, event));
  return event;
}

const effects = () =>
  selectRows<{ event_id: string; account: string; n: number }>(app.database.db, sql`select event_id, account, n from test_effects order by seq`);

const unpublished = async () =>
  (await selectRows<{ n: number }>(app.database.db, sql`select count(*)::int as n from outbox where published_at is null`))[0]?.n;

/** Events published together that reach the consumers together, as after a worker's downtime; then the background starts. */
async function pileUp(events: ReturnType<typeof credited.create>[]) {
  await app.database.transaction(async (tx) => {
    for (const event of events) await publish(tx, event);
  });
  if (app.bus.kind === 'nats') {
    // The stream holds them before the consumer starts.
    app.relay.start();
    await eventually(async () => (await unpublished()) === 0);
  }
  await app.startBackground();
}

const leaseExpiry = async () =>
  (await selectRows<{ at: string }>(app.database.db, sql`select expires_at::text as at from relay_lease where name = 'outbox'`))[0]?.at ?? null;

describe(`event delivery (${process.env.NATS_URL ? 'NATS JetStream' : 'in-process'} bus)`, () => {
  test('a relay that crashes after publishing and before marking sent republishes, and the effect happens once', async () => {
    await app.consumers.subscribeAll(app.bus, [applyCredit]);
    const event = await credit('acc-1', 1);

    // A short lease, as a crashed relay's lease must run out before another may publish.
    const crashing = new OutboxRelay(app.database, app.bus, {
      pollMs: 10, logger: app.logger, leaseMs: 100,
      afterPublish: () => {
        throw new Error('simulated crash between publish and mark-sent');
      },
    });
    await expect(crashing.drainOnce()).rejects.toThrow('simulated crash');
    expect(await unpublished()).toBe(1);

    // The process "restarts": a new relay finds the row still unsent and publishes it again.
    const restarted = new OutboxRelay(app.database, app.bus, { pollMs: 10, logger: app.logger });
    await eventually(async () => (await restarted.drainOnce()) === 1 || (await unpublished()) === 0);
    expect(await unpublished()).toBe(0);

    await eventually(async () => (await effects()).length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect((await effects()).map((e) => e.event_id)).toEqual([event.id]);
  });

  test('the relay wakes at once after a commit that published events, and sleeps through commits that did not', async () => {
    await app.consumers.subscribeAll(app.bus, [applyCredit]);
    // A poll far beyond the test: anything published in time came from a wake-up.
    const relay = new OutboxRelay(app.database, app.bus, { pollMs: 60_000, logger: app.logger });
    relay.start();
    try {
      await eventually(async () => (await leaseExpiry()) !== null);
      const slept = await leaseExpiry();
      // Each wake-up renews the lease first, so an unchanged expiry means the relay did not run.
      for (let i = 0; i < 5; i++) await app.database.transaction((tx) => tx.execute(sql`select 1`));
      await new Promise((r) => setTimeout(r, 100));
      expect(await leaseExpiry()).toBe(slept);

      await credit('acc-wake', 1);
      await eventually(async () => (await unpublished()) === 0 && (await effects()).length === 1);
      expect(await leaseExpiry()).not.toBe(slept);
    } finally {
      await relay.stop();
    }
  });

  test('after a batch the relay lets the next gather for lingerMs, unless the batch was full: more is waiting then', async () => {
    await app.consumers.subscribeAll(app.bus, [applyCredit]);
    const batches: number[] = [];
    const relay = new OutboxRelay(app.database, app.bus, { pollMs: 60_000, lingerMs: 1000, batchSize: 2, logger: app.logger, onPublished: (n) => batches.push(n) });
    relay.start();
    try {
      await credit('acc-linger', 1);
      await eventually(async () => batches.length === 1 || null);
      // Three commits while it lingers: one batch after, not three (two, as the batch holds two, then one).
      for (let n = 2; n <= 4; n++) await credit('acc-linger', n);
      await eventually(async () => (await effects()).length === 4 || null);
      expect(batches).toEqual([1, 2, 1]);
      // Five at once: two full batches go straight after each other, then the last one.
      const started = Date.now();
      await app.database.transaction(async (tx) => {
        for (let n = 5; n <= 9; n++) await publish(tx, credited.create('acc-linger', { amount: 1, n }));
      });
      await eventually(async () => (await effects()).length === 9 || null);
      expect(batches.slice(3)).toEqual([2, 2, 1]);
      // Straight after each other: within one linger of the commit (the wait after the first batch above has run out).
      expect(Date.now() - started).toBeLessThan(1000 + 500);
    } finally {
      await relay.stop();
    }
  });

  test('a consumer that throws is retried and then succeeds exactly once', async () => {
    await app.startBackground();
    const event = credited.create('acc-2', { amount: 5, n: 1 });
    failuresLeft.set(event.id, 2);
    await app.database.transaction((tx) => publish(tx, event));

    await eventually(async () => (await effects()).length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(await effects()).toHaveLength(1);
    const metrics = await app.metrics.registry.getSingleMetricAsString('event_consumer_outcomes_total');
    expect(metrics).toContain('consumer="ledger.apply-credit",outcome="retried"} 2');
    expect(metrics).toContain('consumer="ledger.apply-credit",outcome="handled"} 1');
  });

  test('events of one aggregate are handled in the order they were committed', async () => {
    await app.startBackground();
    const accounts = ['a', 'b', 'c', 'd', 'e'];
    for (let n = 1; n <= 12; n++) {
      await app.database.transaction(async (tx) => {
        for (const account of accounts) await publish(tx, credited.create(account, { amount: 1, n }));
      });
    }
    await eventually(async () => (await effects()).length === 60, 20_000);
    const rows = await effects();
    for (const account of accounts) {
      expect(rows.filter((r) => r.account === account).map((r) => r.n)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    }
  });

  test('an event that keeps failing is dead-lettered, and replaying it applies it once', async () => {
    await app.startBackground();
    const poisoned = credited.create('acc-3', { amount: 7, n: 1 });
    failuresLeft.set(poisoned.id, Number.POSITIVE_INFINITY);
    await app.database.transaction((tx) => publish(tx, poisoned));
    const healthy = await credit('acc-3', 2);

    const letters = await eventually(async () => {
      const pending = await app.consumers.listDeadLetters();
      return pending.length === 1 ? pending : null;
    });
    expect(letters[0]).toMatchObject({ consumer: 'ledger.apply-credit', eventId: poisoned.id, attempts: 4 });
    expect(letters[0]?.error).toContain('induced failure');
    // The stream moved on past the poisoned event.
    await eventually(async () => (await effects()).some((e) => e.event_id === healthy.id));

    failuresLeft.set(poisoned.id, 0);
    expect(await app.consumers.replay(letters[0]!.id)).toMatchObject({ outcome: 'handled' });
    expect(await app.consumers.replay(letters[0]!.id)).toMatchObject({ outcome: 'duplicate' });
    expect((await effects()).filter((e) => e.event_id === poisoned.id)).toHaveLength(1);
    expect(await app.consumers.listDeadLetters()).toHaveLength(0);
  });

  test('events that piled up are handled in one transaction per consumer; one that fails sends the rest one at a time', async () => {
    await pileUp([1, 2, 3, 4, 5].map((n) => credited.create('acc-7', { amount: 1, n })));
    await eventually(async () => (await effects()).length === 5);
    const handledAt = await selectRows<{ at: string }>(app.database.db, sql`select distinct handled_at::text as at from inbox where consumer = 'ledger.apply-credit'`);
    // One transaction, one now(). The in-process bus hands over the relay's batch whole; NATS
    // what has arrived from the server, which may be split across two reads of the socket.
    if (app.bus.kind === 'nats') expect(handledAt.length).toBeLessThanOrEqual(2);
    else expect(handledAt).toHaveLength(1);

    const poisoned = credited.create('acc-8', { amount: 1, n: 2 });
    const around = [credited.create('acc-8', { amount: 1, n: 1 }), poisoned, credited.create('acc-8', { amount: 1, n: 3 })];
    failuresLeft.set(poisoned.id, Number.POSITIVE_INFINITY);
    await app.database.transaction(async (tx) => {
      for (const event of around) await publish(tx, event);
    });
    await eventually(async () => (await app.consumers.listDeadLetters()).length === 1);
    await eventually(async () => (await unpublished()) === 0);
    // On NATS the event after the poisoned one may still be on its way when the dead letter lands.
    const rows = await eventually(async () => {
      const handled = (await effects()).filter((e) => e.account === 'acc-8');
      return handled.length >= 2 && handled;
    });
    expect(rows.map((r) => r.n)).toEqual([1, 3]);
    expect((await app.consumers.listDeadLetters())[0]).toMatchObject({ eventId: poisoned.id, attempts: 4 });
  });

  test('a consumer of runs is handed the events that piled up in one call, and never an event it handled', async () => {
    const batch = [1, 2, 3, 4, 5].map((n) => credited.create('acc-9', { amount: 1, n }));
    await pileUp(batch);
    const runs = () => selectRows<{ size: number; ns: string }>(app.database.db, sql`select size, ns from test_runs order by seq`);
    const calls = await eventually(async () => {
      const all = await runs();
      return all.reduce((sum, r) => sum + r.size, 0) === 5 && all;
    });
    // NATS may hand the run over in two reads of its socket.
    expect(calls.length).toBeLessThanOrEqual(app.bus.kind === 'nats' ? 2 : 1);
    expect(calls.flatMap((c) => c.ns.split(',')).map(Number)).toEqual([1, 2, 3, 4, 5]);
    // Delivered again, with one new event: only the new one is handed over.
    const fresh = credited.create('acc-9', { amount: 1, n: 6 });
    await app.consumers.deliverAll(countRuns, [...batch.filter((e) => e.payload.n === 1 || e.payload.n === 4), fresh]);
    expect((await runs()).slice(calls.length)).toEqual([{ size: 1, ns: '6' }]);
    await app.consumers.deliverAll(countRuns, batch);
    expect(await runs()).toHaveLength(calls.length + 1);
  });

  test('events announced in one transaction are stored as announced, in that order', async () => {
    const announced = [3, 1, 4, 1, 5].map((amount, n) => credited.create(`acc-${amount}`, { amount, n }, { traceId: n % 2 ? `trace-${n}` : null }));
    await app.database.transaction(async (tx) => {
      await publish(tx, ...announced.slice(0, 2));
      await publish(tx, ...announced.slice(2));
    });
    const stored = await selectRows<Record<string, unknown>>(app.database.db, sql`
      select id, type, version, (extract(epoch from occurred_at) * 1000)::bigint::text as "occurredMs", aggregate_type, aggregate_id, payload, trace_id, published_at
      from outbox where id in ${announced.map((e) => e.id)} order by seq`);
    expect(stored).toEqual(announced.map((e) => ({
      id: e.id, type: 'test.credited', version: e.version, occurredMs: String(Date.parse(e.occurredAt)), aggregate_type: 'account',
      aggregate_id: e.aggregateId, payload: e.payload, trace_id: e.traceId, published_at: null,
    })));
  });

  test('a state change and its event commit together or not at all', async () => {
    await expect(app.database.transaction(async (tx) => {
      await tx.execute(sql`insert into test_effects (event_id, account, n, amount) values (gen_random_uuid(), 'x', 0, 0)`);
      await publish(tx, credited.create('acc-4', { amount: 1, n: 1 }));
      throw new Error('business rule failed after publishing');
    })).rejects.toThrow('business rule failed');
    expect(await effects()).toHaveLength(0);
    expect(await unpublished()).toBe(0);
  });

  test('a payload that breaks its schema is refused before anything is written', () => {
    expect(() => credited.create('acc-5', { amount: 0, n: 1 })).toThrow(InvalidEventError);
    expect(() => credited.create('acc-5', { amount: 1.5, n: 1 })).toThrow(/amount/);
  });

  test('an envelope of an unknown type is dead-lettered, not handled', async () => {
    await app.consumers.subscribeAll(app.bus, [applyCredit]);
    const forged = { ...credited.create('acc-6', { amount: 1, n: 1 }), payload: { amount: 'lots' } };
    const outcome = await app.consumers.deliver(applyCredit, forged);
    expect(outcome).toBe('dead-lettered');
    expect(await effects()).toHaveLength(0);
  });
});
