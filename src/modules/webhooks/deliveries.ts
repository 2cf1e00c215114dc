import { and, asc, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db/database.js';
import type { EventEnvelope } from '../../platform/events/envelope.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import type { DELIVERY_STATUSES} from './schema.js';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from './schema.js';

type DeliveryRow = typeof webhookDeliveries.$inferSelect;
type AttemptRow = typeof webhookAttempts.$inferSelect;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const iso = (value: string | null) => (value ? new Date(value).toISOString() : null);

export const deliveryView = (row: DeliveryRow) => ({
  id: row.id, endpointId: row.endpointId, eventId: row.eventId, eventType: row.eventType, status: row.status,
  attemptCount: row.attempts, nextAttemptAt: row.status === 'pending' ? iso(row.nextAttemptAt) : null,
  lastStatusCode: row.lastStatusCode, lastError: row.lastError, deliveredAt: iso(row.deliveredAt), createdAt: iso(row.createdAt)!,
});

const attemptView = (row: AttemptRow) => ({
  number: row.number, startedAt: iso(row.startedAt)!, durationMs: row.durationMs, succeeded: row.succeeded,
  statusCode: row.statusCode, error: row.error, responseSnippet: row.responseSnippet,
});

/** The body integrators receive: the platform's event envelope, fields in a fixed order. */
export const envelopeBody = (e: EventEnvelope): string => JSON.stringify({
  id: e.id, type: e.type, version: e.version, occurredAt: e.occurredAt, aggregateType: e.aggregateType, aggregateId: e.aggregateId, payload: e.payload, traceId: e.traceId,
});

/**
 * The endpoints an event goes to: enabled, subscribed to its type, and existing when it
 * happened (a paused endpoint still queues; it sends once re-enabled). An endpoint gets events
 * from its creation on, not history replayed to a new durable consumer (a few seconds of clock
 * skew allowed). For several events: the endpoints that want any of them.
 */
const subscribersOf = (events: readonly EventEnvelope[]) => {
  const types = sql.join([...new Set(events.map((e) => e.type))].map((t) => sql`${t}`), sql`, `);
  const latest = events.reduce((at, e) => (Date.parse(e.occurredAt) > Date.parse(at) ? e.occurredAt : at), events[0]!.occurredAt);
  return and(
    eq(webhookEndpoints.enabled, true), sql`${webhookEndpoints.eventTypes} && array[${types}]::text[]`,
    sql`${webhookEndpoints.createdAt} <= ${latest}::timestamptz + interval '5 seconds'`,
  );
};

/**
 * Whether any endpoint wants any of the events: one read of the (small) endpoint table for a
 * whole run, outside any transaction, so the fan-out spends no transaction or inbox row on the
 * events nobody subscribed to. Read from the database each time, so an endpoint registered
 * through another process counts at once.
 */
export async function anySubscriber(db: Db, events: readonly EventEnvelope[]): Promise<boolean> {
  if (events.length === 0) return false;
  const [row] = await db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(subscribersOf(events)).limit(1);
  return Boolean(row);
}

/**
 * Runs in the fan-out consumer's inbox transaction: one delivery per endpoint that wants the
 * event. The (endpoint, event) key makes a second queueing of the same event a no-op as well.
 */
export async function queueDeliveries(tx: Tx, event: EventEnvelope): Promise<number> {
  const endpoints = await tx.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(subscribersOf([event]));
  if (endpoints.length === 0) return 0;
  const body = envelopeBody(event);
  const queued = await tx.insert(webhookDeliveries)
    .values(endpoints.map((e) => ({ id: newId(), endpointId: e.id, eventId: event.id, eventType: event.type, body })))
    .onConflictDoNothing().returning({ id: webhookDeliveries.id });
  return queued.length;
}

export interface ClaimedDelivery {
  id: string;
  eventId: string;
  body: string;
  endpoint: Pick<typeof webhookEndpoints.$inferSelect, 'id' | 'url' | 'secretSealed' | 'previousSecretSealed' | 'previousSecretExpiresAt'>;
}

/**
 * Takes up to `limit` due deliveries of active endpoints and leases them for `leaseMs`.
 * SKIP LOCKED lets several workers claim side by side without waiting on or sharing rows;
 * the lease keeps a claimed row out of other claims after this short transaction commits,
 * and frees it again if the worker dies mid-attempt (it is then retried: at least once).
 */
export async function claimDueDeliveries(db: Db, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  return db.transaction(async (tx) => {
    const due = await tx.select({
      id: webhookDeliveries.id, eventId: webhookDeliveries.eventId, body: webhookDeliveries.body,
      endpoint: {
        id: webhookEndpoints.id, url: webhookEndpoints.url, secretSealed: webhookEndpoints.secretSealed,
        previousSecretSealed: webhookEndpoints.previousSecretSealed, previousSecretExpiresAt: webhookEndpoints.previousSecretExpiresAt,
      },
    }).from(webhookDeliveries).innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(and(
        eq(webhookDeliveries.status, 'pending'), lte(webhookDeliveries.nextAttemptAt, sql`now()`),
        or(isNull(webhookDeliveries.leaseUntil), lt(webhookDeliveries.leaseUntil, sql`now()`)),
        eq(webhookEndpoints.enabled, true), isNull(webhookEndpoints.pausedAt),
      ))
      .orderBy(asc(webhookDeliveries.nextAttemptAt)).limit(limit)
      .for('update', { of: webhookDeliveries, skipLocked: true });
    if (due.length === 0) return [];
    await tx.update(webhookDeliveries).set({ leaseUntil: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
      .where(inArray(webhookDeliveries.id, due.map((d) => d.id)));
    return due;
  });
}

export interface AttemptResult {
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseSnippet: string | null;
}

export interface RetryPolicy {
  maxAttempts: number;
  breakerThreshold: number;
  /** Delay before the next attempt, given the attempts made in this round. */
  backoffMs: (roundAttempts: number) => number;
}

/**
 * Records one attempt and its consequences in one transaction: delivered on 2xx; otherwise
 * the next try is scheduled (or the delivery fails after the last one), and the endpoint's
 * consecutive failures count towards its circuit breaker.
 */
export async function recordAttempt(db: Db, claimed: ClaimedDelivery, result: AttemptResult, policy: RetryPolicy): Promise<{ succeeded: boolean; paused: boolean }> {
  const succeeded = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, claimed.id)).for('update');
    if (!row) return { succeeded, paused: false }; // the endpoint was deleted meanwhile
    const round = row.roundAttempts + 1;
    await tx.insert(webhookAttempts).values({
      id: newId(), deliveryId: row.id, number: row.attempts + 1, startedAt: result.startedAt.toISOString(), durationMs: result.durationMs,
      succeeded, statusCode: result.statusCode, error: result.error, responseSnippet: result.responseSnippet,
    });
    const common = { attempts: row.attempts + 1, roundAttempts: round, leaseUntil: null, lastStatusCode: result.statusCode, lastError: succeeded ? null : result.error };
    if (succeeded) {
      await tx.update(webhookDeliveries).set({ ...common, status: 'delivered', deliveredAt: sql`now()` }).where(eq(webhookDeliveries.id, row.id));
      await tx.update(webhookEndpoints).set({ consecutiveFailures: 0 }).where(eq(webhookEndpoints.id, row.endpointId));
      return { succeeded, paused: false };
    }
    await tx.update(webhookDeliveries).set(round >= policy.maxAttempts
      ? { ...common, status: 'failed' }
      : { ...common, nextAttemptAt: sql`now() + make_interval(secs => ${policy.backoffMs(round) / 1000})` })
      .where(eq(webhookDeliveries.id, row.id));
    const [endpoint] = await tx.update(webhookEndpoints).set({ consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1` })
      .where(eq(webhookEndpoints.id, row.endpointId)).returning({ failures: webhookEndpoints.consecutiveFailures, pausedAt: webhookEndpoints.pausedAt });
    if (endpoint && !endpoint.pausedAt && endpoint.failures >= policy.breakerThreshold) {
      await tx.update(webhookEndpoints).set({ pausedAt: sql`now()` }).where(eq(webhookEndpoints.id, row.endpointId));
      return { succeeded, paused: true };
    }
    return { succeeded, paused: false };
  });
}

/** Gives a lease back without an attempt (the worker is shutting down mid-request). */
export async function releaseLease(db: Db, id: string): Promise<void> {
  await db.update(webhookDeliveries).set({ leaseUntil: null }).where(eq(webhookDeliveries.id, id));
}

export async function listDeliveries(db: Db, endpointId: string, filter: { status?: DeliveryStatus; before?: string; limit: number }) {
  const [endpoint] = await db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId));
  if (!endpoint) throw problem(404, 'not-found', `No webhook endpoint ${endpointId}`);
  const rows = await db.select().from(webhookDeliveries).where(and(
    eq(webhookDeliveries.endpointId, endpointId),
    filter.status ? eq(webhookDeliveries.status, filter.status) : undefined,
    filter.before ? lt(webhookDeliveries.id, filter.before) : undefined,
  )).orderBy(desc(webhookDeliveries.id)).limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  return { items: page.map(deliveryView), nextCursor: rows.length > filter.limit ? page.at(-1)!.id : null };
}

export async function deliveryDetail(db: Db, id: string) {
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  if (!row) throw problem(404, 'not-found', `No webhook delivery ${id}`);
  const attempts = await db.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, id)).orderBy(asc(webhookAttempts.number));
  return { ...deliveryView(row), body: JSON.parse(row.body) as unknown, attempts: attempts.map(attemptView) };
}

/** Queues a delivery again for a fresh round of attempts (delivered ones too: the receiver dedupes on webhook-id). */
export async function redeliver(db: Db, id: string) {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).for('update');
    if (!row) throw problem(404, 'not-found', `No webhook delivery ${id}`);
    if (row.leaseUntil && new Date(row.leaseUntil).getTime() > Date.now()) {
      throw problem(409, 'delivery-in-flight', `Delivery ${id} is being attempted right now; try again when the attempt is recorded`);
    }
    const [updated] = await tx.update(webhookDeliveries).set({ status: 'pending', roundAttempts: 0, nextAttemptAt: sql`now()`, leaseUntil: null })
      .where(eq(webhookDeliveries.id, id)).returning();
    return deliveryView(updated!);
  });
}
