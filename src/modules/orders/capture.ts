import { and, asc, eq, lt, ne, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { prepared, type Placeholders } from '../../platform/db/prepared.js';
import { restockOrder } from '../inventory/stock.js';
import { ProviderError } from '../payments/provider.js';
import { paymentsByIds, providerFor, type Payment } from '../payments/service.js';
import { orderCaptures } from './capture-schema.js';
import { orders } from './schema.js';
import type { OrderDeps } from './deps.js';
import { executeRefund, recordCaptures, refundCancelledCapture, voidCancelled, type Refund } from './payments.js';
import { orderById, transition } from './service.js';

/**
 * Automatic capture (PAYMENT_CAPTURE=immediate) in the shape of refunds (payments.ts): the
 * order.placed consumer writes the intent in its transaction; the processor is called after
 * that commits, outside any transaction, so a slow processor holds no row lock and no pool
 * connection; the result is recorded idempotently. A crash in between leaves the intent
 * pending, and resumeCaptures sends it again.
 */
type Capture = typeof orderCaptures.$inferSelect;
type CaptureOutcome = Capture['status'] | 'missing';

/** An intent pending this long was cut short (the call takes milliseconds, a slow processor seconds). */
export const CAPTURE_RESUME_AFTER_MS = 5_000;

/** An intent to send: what to capture for which order, and from which payment. */
interface Intent {
  orderId: string;
  amount: number;
  paymentId: string;
}

// The orders are read by the insert itself: only those authorized and not cancelled get an intent.
const insertIntents = prepared((db, p: Placeholders<{ orderIds: string[] }>) => db.insert(orderCaptures)
  // drizzle's insert … select names every column, in the table's order.
  .select(db.select({ orderId: orders.id, amount: orders.total, status: sql`'pending'`.as('status'), failureCode: sql`null`.as('failure_code'), createdAt: sql`now()`.as('created_at'), updatedAt: sql`now()`.as('updated_at') }).from(orders)
    .where(and(sql`${orders.id} = any(${p.orderIds})`, eq(orders.paymentStatus, 'authorized'), ne(orders.status, 'cancelled'))))
  .onConflictDoNothing().returning({ orderId: orderCaptures.orderId, amount: orderCaptures.amount }));
const settleIntents = prepared((db, p: Placeholders<{ orderIds: string[]; status: 'captured' | 'skipped' }>) =>
  db.update(orderCaptures).set({ status: sql`${p.status}`, updatedAt: sql`now()` }).where(and(sql`${orderCaptures.orderId} = any(${p.orderIds})`, eq(orderCaptures.status, 'pending'))));

/** In the consumer's transaction: the intents to capture the authorized orders among those placed (none for the rest). */
async function requestCaptures(tx: Tx, placed: readonly { orderId: string; paymentId: string }[]): Promise<Intent[]> {
  const amounts = new Map((await insertIntents(tx, { orderIds: placed.map((p) => p.orderId) })).map((made) => [made.orderId, made.amount]));
  return placed.flatMap((p) => {
    const amount = amounts.get(p.orderId);
    return amount === undefined ? [] : [{ orderId: p.orderId, paymentId: p.paymentId, amount }];
  });
}

/** Sends a stored pending intent to the processor and records the answer. Safe to run again, from any process. */
export async function executeCapture(d: OrderDeps, orderId: string): Promise<CaptureOutcome> {
  const intent = await pendingIntent(d, orderId);
  if (typeof intent === 'string') return intent;
  return (await executeCaptures(d, [intent]))[0] ?? 'pending';
}

/**
 * Sends intents to the processor and records the answers: their payments read at once, the
 * processor asked for each, and the captures recorded in one transaction, so a consumer run of
 * fifty takes the audit chain's head once rather than fifty times. Intents this process has
 * just committed are not read again (a cancel in between is met by recordAutomaticCapture,
 * which refunds). One that cannot be sent or recorded stays pending for resumeCaptures; the
 * rest go on.
 */
export async function executeCaptures(d: OrderDeps, intents: readonly Intent[]): Promise<CaptureOutcome[]> {
  const paymentsOf = await paymentsByIds(d.database.db, intents.map((i) => i.paymentId));
  const answers = await Promise.all(intents.map((intent) => captureAtProcessor(d, intent, paymentsOf.get(intent.paymentId)).catch((error: unknown) => {
    d.logger.warn({ err: error, orderId: intent.orderId }, 'capture deferred to the sweeper');
    return 'pending' as const;
  })));
  const captured = intents.flatMap((intent, k) => {
    const answer = answers[k];
    return typeof answer === 'number' ? [{ orderId: intent.orderId, captured: answer }] : [];
  });
  const recorded = await recordAnswers(d, captured);
  return intents.map((intent, k) => {
    const answer = answers[k] ?? 'pending';
    if (typeof answer !== 'number') return answer;
    return recorded.has(intent.orderId) ? 'captured' : 'pending';
  });
}

/** What the processor captured, or the outcome when it will not (the order is then compensated). */
async function captureAtProcessor(d: OrderDeps, intent: Intent, payment: Payment | undefined): Promise<number | CaptureOutcome> {
  if (!payment?.providerRef) throw new Error(`order ${intent.orderId} has no payment reference`);
  const provider = providerFor(d.providers, payment.provider);
  try {
    return (await provider.capture(payment.providerRef, intent.amount)).captured;
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error; // network trouble: stays pending, resumed later
    // The processor, not the error, says where the money is: an earlier attempt may have captured.
    const state = await provider.retrieve(payment.providerRef).catch(() => null);
    if (state?.status !== 'captured') return compensate(d, intent.orderId, error.code);
    return state.captured;
  }
}

/**
 * Records captures in one transaction; when it fails, one transaction each, so an order that
 * cannot be recorded leaves only itself pending. Returns the orders recorded.
 */
async function recordAnswers(d: OrderDeps, captured: readonly { orderId: string; captured: number }[]): Promise<Set<string>> {
  const recordAll = (list: readonly { orderId: string; captured: number }[]) => d.database.transaction((tx) => recordAutomaticCaptures(tx, list));
  const together = captured.length > 1 ? await recordAll(captured).catch((error: unknown) => {
    d.logger.debug({ err: error, captures: captured.length }, 'recording captures together failed; recording them one at a time');
    return null;
  }) : null;
  const recorded = new Set(together ? captured.map((c) => c.orderId) : []);
  const refunds = together ?? [];
  for (const c of together ? [] : captured) {
    try {
      refunds.push(...(await recordAll([c])));
      recorded.add(c.orderId);
    } catch (error) {
      d.logger.warn({ err: error, orderId: c.orderId }, 'capture not recorded; deferred to the sweeper');
    }
  }
  for (const refund of refunds) await executeRefund(d, refund.id).catch((error: unknown) => d.logger.warn({ err: error, refundId: refund.id }, 'refund deferred to the sweeper'));
  return recorded;
}

/** A stored intent still to send, or why there is nothing to send. */
async function pendingIntent(d: OrderDeps, orderId: string): Promise<Intent | CaptureOutcome> {
  const [intent] = await d.database.db.select().from(orderCaptures).where(eq(orderCaptures.orderId, orderId));
  if (!intent) return 'missing';
  if (intent.status !== 'pending') return intent.status;
  const order = await orderById(d.database.db, orderId);
  // Staff cancelled first (voidCancelled releases the authorization), or a capture was recorded already.
  if (order.status === 'cancelled' || order.paymentStatus !== 'authorized') return settle(d, orderId, order.capturedAmount > 0 ? 'captured' : 'skipped');
  return { orderId, amount: intent.amount, paymentId: order.paymentId };
}

/**
 * Records the captures; when staff cancelled an order while the processor was capturing, the
 * money taken goes straight back (as voidCancelled does when a capture beat its void): the refunds to send.
 */
async function recordAutomaticCaptures(tx: Tx, captured: readonly { orderId: string; captured: number }[]): Promise<Refund[]> {
  await settleIntents(tx, { orderIds: captured.map((c) => c.orderId), status: 'captured' });
  const refunds: Refund[] = [];
  for (const order of await recordCaptures(tx, captured, null)) {
    const refund = order.status === 'cancelled' ? await refundCancelledCapture(tx, order.id, null) : null;
    if (refund) refunds.push(refund);
  }
  return refunds;
}

/** The processor will not capture (the authorization lapsed or was voided): stock back, order cancelled, customer told. */
async function compensate(d: OrderDeps, orderId: string, code: string): Promise<CaptureOutcome> {
  const cancelled = await d.database.transaction(async (tx) => {
    const [failed] = await tx.update(orderCaptures).set({ status: 'failed', failureCode: code, updatedAt: sql`now()` })
      .where(and(eq(orderCaptures.orderId, orderId), eq(orderCaptures.status, 'pending'))).returning();
    if (!failed) return false;
    const order = await orderById(tx, orderId, true);
    if (order.status === 'cancelled') return false;
    await restockOrder(tx, orderId, 'capture_failed');
    // order.cancelled tells the customer (notifications) and gives the promotions' uses back.
    await transition(tx, orderId, 'cancelled', null, { reason: `payment could not be captured (${code})` });
    return true;
  });
  // What is left of the authorization is released now rather than by the sweeper.
  if (cancelled) await voidCancelled(d, orderId, null).catch((error: unknown) => d.logger.warn({ err: error, orderId }, 'void after a failed capture deferred to the sweeper'));
  return 'failed';
}

async function settle(d: OrderDeps, orderId: string, status: 'captured' | 'skipped'): Promise<CaptureOutcome> {
  await settleIntents(d.database.db, { orderIds: [orderId], status });
  return status;
}

/** The sweeper's part: intents still pending after a crash (or a network failure) are sent again. */
export async function resumeCaptures(d: OrderDeps, olderThanMs = CAPTURE_RESUME_AFTER_MS): Promise<number> {
  const before = new Date(Date.now() - olderThanMs).toISOString();
  const stuck = await d.database.db.select({ orderId: orderCaptures.orderId }).from(orderCaptures)
    .where(and(eq(orderCaptures.status, 'pending'), lt(orderCaptures.createdAt, before))).orderBy(asc(orderCaptures.createdAt)).limit(100);
  for (const { orderId } of stuck) await executeCapture(d, orderId).catch((error: unknown) => d.logger.warn({ err: error, orderId }, 'capture not resumed'));
  return stuck.length;
}

/**
 * In the consumer's transaction: the intents of a run of placed orders, and the processor
 * called for them together once that very transaction commits. A rolled-back attempt never
 * commits, so nothing is sent for it; what a crash loses between commit and call,
 * resumeCaptures finds.
 */
export async function captureAfterCommit(d: OrderDeps, tx: Tx, placed: readonly { orderId: string; paymentId: string }[]): Promise<void> {
  const intents = await requestCaptures(tx, placed);
  if (intents.length === 0) return;
  d.database.afterCommit(tx, () => {
    void executeCaptures(d, intents).catch((error: unknown) => d.logger.warn({ err: error, orders: intents.length }, 'captures deferred to the sweeper'));
  });
}
