import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/** Events written in the same transaction as the state change they announce. */
export const outbox = pgTable('outbox', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  id: uuid('id').notNull().unique(),
  type: text('type').notNull(),
  version: integer('version').notNull(),
  occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull(),
  aggregateType: text('aggregate_type').notNull(),
  aggregateId: text('aggregate_id').notNull(),
  payload: jsonb('payload').notNull(),
  traceId: text('trace_id'),
  publishedAt: timestamp('published_at', { withTimezone: true, mode: 'string' }),
}, (t) => [
  index('outbox_unpublished').on(t.seq).where(sql`${t.publishedAt} is null`),
  // Readers that follow a few event types (the catalog's view) read theirs without scanning everyone's.
  index('outbox_by_type').on(t.type, t.seq),
]);

/** Which consumer has handled which event: written with the consumer's effect, so a redelivery is a no-op. */
export const inbox = pgTable('inbox', {
  consumer: text('consumer').notNull(),
  eventId: uuid('event_id').notNull(),
  handledAt: timestamp('handled_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.consumer, t.eventId] })]);

/** Events a consumer gave up on after its retries; replayable from the CLI. */
export const deadLetters = pgTable('dead_letters', {
  id: uuid('id').primaryKey(),
  consumer: text('consumer').notNull(),
  eventId: uuid('event_id').notNull(),
  eventType: text('event_type').notNull(),
  envelope: jsonb('envelope').notNull(),
  error: text('error').notNull(),
  attempts: integer('attempts').notNull(),
  failedAt: timestamp('failed_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  replayedAt: timestamp('replayed_at', { withTimezone: true, mode: 'string' }),
}, (t) => [index('dead_letters_pending').on(t.failedAt).where(sql`${t.replayedAt} is null`)]);

/** One relay publishes at a time, so order holds with many processes; the lease expires if it dies. */
export const relayLease = pgTable('relay_lease', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' }).notNull(),
});
