import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/**
 * Where integrators want events sent. The signing secret is sealed with the platform's field
 * cipher (it must be recoverable to sign); after a rotation the previous one keeps signing
 * alongside until `previous_secret_expires_at`, so receivers can roll over without a gap.
 */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: uuid('id').primaryKey(),
  url: text('url').notNull(),
  description: text('description').notNull().default(''),
  eventTypes: text('event_types').array().notNull(),
  secretSealed: text('secret_sealed').notNull(),
  previousSecretSealed: text('previous_secret_sealed'),
  previousSecretExpiresAt: at('previous_secret_expires_at'),
  /** Turned off by an admin: no deliveries are queued or attempted. */
  enabled: boolean('enabled').notNull().default(true),
  /** Circuit breaker: set after too many consecutive failed attempts; nothing is attempted until an admin enables the endpoint again. */
  pausedAt: at('paused_at'),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  createdBy: uuid('created_by'),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

/** One event for one endpoint. The body is frozen when queued, so every retry sends the same bytes. */
export const webhookDeliveries = pgTable('webhook_deliveries', {
  id: uuid('id').primaryKey(),
  endpointId: uuid('endpoint_id').notNull().references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
  eventId: uuid('event_id').notNull(),
  eventType: text('event_type').notNull(),
  body: text('body').notNull(),
  status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
  /** Attempts ever made, and attempts in the current round (a manual redelivery starts a new round). */
  attempts: integer('attempts').notNull().default(0),
  roundAttempts: integer('round_attempts').notNull().default(0),
  nextAttemptAt: at('next_attempt_at').notNull().defaultNow(),
  /** A worker holds the delivery while its attempt is in flight; an expired lease (crashed worker) frees it. */
  leaseUntil: at('lease_until'),
  lastStatusCode: integer('last_status_code'),
  lastError: text('last_error'),
  deliveredAt: at('delivered_at'),
  createdAt: at('created_at').notNull().defaultNow(),
}, (t) => [
  uniqueIndex('webhook_deliveries_endpoint_event').on(t.endpointId, t.eventId),
  index('webhook_deliveries_due').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  check('webhook_deliveries_attempts', sql`${t.attempts} >= ${t.roundAttempts} and ${t.roundAttempts} >= 0`),
]);

/** Every attempt, as the receiver answered it. */
export const webhookAttempts = pgTable('webhook_attempts', {
  id: uuid('id').primaryKey(),
  deliveryId: uuid('delivery_id').notNull().references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
  number: integer('number').notNull(),
  startedAt: at('started_at').notNull(),
  durationMs: integer('duration_ms').notNull(),
  succeeded: boolean('succeeded').notNull(),
  statusCode: integer('status_code'),
  error: text('error'),
  responseSnippet: text('response_snippet'),
}, (t) => [uniqueIndex('webhook_attempts_delivery_number').on(t.deliveryId, t.number)]);
