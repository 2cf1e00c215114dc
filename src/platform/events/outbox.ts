import type { Tx } from '../db/database.js';
import type { EventEnvelope } from './envelope.js';
import { outbox } from './schema.js';

const withEvents = new WeakSet<Tx>();

/** Whether a transaction announced events: the relay wakes after those commits, not after every commit. */
export const publishedIn = (tx: Tx): boolean => withEvents.has(tx);

/**
 * Announces events in the caller's transaction: they are published if and only if the
 * state change commits. The relay picks them up after commit.
 */
export async function publish(tx: Tx, ...events: EventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  withEvents.add(tx);
  await tx.insert(outbox).values(events.map((e) => ({
    id: e.id,
    type: e.type,
    version: e.version,
    occurredAt: e.occurredAt,
    aggregateType: e.aggregateType,
    aggregateId: e.aggregateId,
    payload: e.payload,
    traceId: e.traceId,
  })));
}
