import { sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { commitBatch } from '../db/commit-batch.js';
import type { EventEnvelope } from './envelope.js';
import { outbox } from './schema.js';

const withEvents = new WeakSet<Tx>();

/** Whether a transaction announced events: the relay wakes after those commits, not after every commit. */
export const publishedIn = (tx: Tx): boolean => withEvents.has(tx);

/**
 * Announces events in the caller's transaction: they are published if and only if the
 * state change commits. The relay picks them up after commit. In a transaction of
 * Database.transaction() they are written together at its end (a consumer handling a run of
 * events publishes one insert, not one per event); elsewhere at once.
 */
export async function publish(tx: Tx, ...events: EventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  withEvents.add(tx);
  await announced.add(tx, events);
}

/** Writes what this transaction has announced so far: for work that reads or changes the stored events (redaction), or that should come after them (a lock meant to be held only until the commit). */
export const writeAnnounced = (tx: Tx): Promise<void> => announced.flush(tx);

/**
 * One statement text for any number of events: they go as one JSON array, unnested in order
 * (so `seq` follows the order they were announced in). drizzle's multi-row insert makes a new
 * text, and a new prepared statement, for every row count, and costs more to build than to send.
 */
async function insertEvents(tx: Tx, events: readonly EventEnvelope[]): Promise<void> {
  const rows = JSON.stringify(events.map((e) => ({
    id: e.id, type: e.type, version: e.version, occurredAt: e.occurredAt, aggregateType: e.aggregateType, aggregateId: e.aggregateId, payload: e.payload, traceId: e.traceId,
  })));
  await tx.execute(sql`insert into ${outbox} (id, type, version, occurred_at, aggregate_type, aggregate_id, payload, trace_id)
    select (e->>'id')::uuid, e->>'type', (e->>'version')::int, (e->>'occurredAt')::timestamptz, e->>'aggregateType', e->>'aggregateId', e->'payload', e->>'traceId'
    from jsonb_array_elements(${rows}::jsonb) with ordinality as t(e, n) order by n`);
}

const announced = commitBatch(insertEvents);
