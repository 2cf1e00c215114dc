import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { prepared, type Placeholders } from '../../platform/db/prepared.js';
import { restockOrder } from '../inventory/stock.js';
import { ProviderError, type ProviderPayment } from '../payments/provider.js';
import { paymentById, providerFor } from '../payments/service.js';
import { orderCaptures } from './capture-schema.js';
import type { OrderDeps } from './deps.js';
import { executeRefund, recordCaptureOf, refundCancelledCapture, voidCancelled, type Refund } from './payments.js';
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

/** The intent just written: what to capture, and from which payment. */
interface NewIntent {
  amount: number;
  paymentId: string;
}

const insertIntent = prepared((db, p: Placeholders<{ orderId: string; amount: number }>) =>
  db.insert(orderCaptures).values({ orderId: p.orderId, amount: p.amount }).onConflictDoNothing().returning({ orderId: orderCaptures.orderId }));
const settleIntent = prepared((db, p: Placeholders<{ orderId: string; status: 'captured' | 'skipped' }>) =>
  db.update(orderCaptures).set({ status: sql`${p.status}`, updatedAt: sql`now()` }).where(and(eq(orderCaptures.orderId, p.orderId), eq(orderCaptures.status, 'pending'))));

/** In the consumer's transaction: the intent to capture an authorized order; null when there is nothing to capture. */
async function requestCapture(tx: Tx, orderId: string): Promise<NewIntent | null> {
  const order = await orderById(tx, orderId);
  if (order.paymentStatus !== 'authorized' || order.status === 'cancelled') return null;
  const made = await insertIntent(tx, { orderId, amount: order.total });
  return made.length > 0 ? { amount: order.total, paymentId: order.paymentId } : null;
}

/**
 * Sends a pending intent to the processor and records the answer. Safe to run again, from any
 * process. `fresh` is the intent this process committed a moment ago: its row and the order are
 * not read again (a cancel in between is met by recordAutomaticCapture, which refunds).
 */
export async function executeCapture(d: OrderDeps, orderId: string, fresh?: NewIntent): Promise<CaptureOutcome> {
  const intent = fresh ?? (await pendingIntent(d, orderId));
  if (typeof intent === 'string') return intent;
  const payment = await paymentById(d.database.db, intent.paymentId);
  if (!payment?.providerRef) throw new Error(`order ${orderId} has no payment reference`);
  const provider = providerFor(d.providers, payment.provider);
  let result: ProviderPayment;
  try {
    result = await provider.capture(payment.providerRef, intent.amount);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error; // network trouble: stays pending, resumed later
    // The processor, not the error, says where the money is: an earlier attempt may have captured.
    const state = await provider.retrieve(payment.providerRef).catch(() => null);
    if (state?.status !== 'captured') return compensate(d, orderId, error.code);
    result = state;
  }
  const refund = await d.database.transaction(async (tx) => recordAutomaticCapture(tx, orderId, result.captured));
  if (refund) await executeRefund(d, refund.id);
  return 'captured';
}

/** A stored intent still to send, or why there is nothing to send. */
async function pendingIntent(d: OrderDeps, orderId: string): Promise<NewIntent | CaptureOutcome> {
  const [intent] = await d.database.db.select().from(orderCaptures).where(eq(orderCaptures.orderId, orderId));
  if (!intent) return 'missing';
  if (intent.status !== 'pending') return intent.status;
  const order = await orderById(d.database.db, orderId);
  // Staff cancelled first (voidCancelled releases the authorization), or a capture was recorded already.
  if (order.status === 'cancelled' || order.paymentStatus !== 'authorized') return settle(d, orderId, order.capturedAmount > 0 ? 'captured' : 'skipped');
  return { amount: intent.amount, paymentId: order.paymentId };
}

/**
 * Records the capture; when staff cancelled the order while the processor was capturing, the
 * money taken goes straight back (as voidCancelled does when a capture beat its void).
 */
async function recordAutomaticCapture(tx: Tx, orderId: string, captured: number): Promise<Refund | null> {
  await settleIntent(tx, { orderId, status: 'captured' });
  const order = await orderById(tx, orderId, true);
  if (order.paymentStatus !== 'authorized') return null;
  await recordCaptureOf(tx, order, captured, null);
  return order.status === 'cancelled' ? refundCancelledCapture(tx, orderId, null) : null;
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
  await settleIntent(d.database.db, { orderId, status });
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
 * In the consumer's transaction: the intent, and the processor called once that very
 * transaction commits. A rolled-back attempt never commits, so nothing is sent for it; what a
 * crash loses between commit and call, resumeCaptures finds.
 */
export async function captureAfterCommit(d: OrderDeps, tx: Tx, orderId: string): Promise<void> {
  const intent = await requestCapture(tx, orderId);
  if (!intent) return;
  d.database.afterCommit(tx, () => {
    void executeCapture(d, orderId, intent).catch((error: unknown) => d.logger.warn({ err: error, orderId }, 'capture deferred to the sweeper'));
  });
}
