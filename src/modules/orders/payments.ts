import { and, eq, lt, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { adjustStock } from '../inventory/admin.js';
import { restockOrder } from '../inventory/stock.js';
import { ProviderError, type ProviderPayment } from '../payments/provider.js';
import { refunds } from '../payments/schema.js';
import { markCaptured, markRefunded, markVoided, paymentById, providerFor } from '../payments/service.js';
import type { OrderDeps } from './deps.js';
import { markReturnRefunded } from './returns.js';
import { orders } from './schema.js';
import { linesOf, note, orderById, setCapturedFigures, setPaymentFigures, type Order } from './service.js';

/**
 * Money movements of an order. No processor call happens inside a transaction (STYLE.md):
 * the intent is written first (a pending refund row, a cancelled order still holding an
 * authorization), the processor is called outside, then the result is recorded. A crash in
 * between leaves that intent on record, and resumeMoneyMovements finishes it later under
 * the same idempotency key, so the processor moves the money once.
 */
export type Refund = typeof refunds.$inferSelect;
export type RestockChoice = Refund['restock'];

/**
 * Records captures the processor confirmed (a consumer run's at once); a second recording of
 * the same capture does nothing. The orders as captured, in the order given; one that was not
 * authorized (captured already, voided) is left out.
 */
export async function recordCaptures(tx: Tx, captures: readonly { orderId: string; captured: number }[], actorId: string | null): Promise<Order[]> {
  const recorded = await setCapturedFigures(tx, captures.map((c) => ({ orderId: c.orderId, capturedAmount: c.captured })));
  // Each recorded order carries the amount it was given.
  await captureRecorded(tx, recorded.map((order) => ({ order, captured: order.capturedAmount })), actorId);
  return recorded;
}

/** recordCaptures() of one; null when the order was not authorized. */
export async function recordCapture(tx: Tx, orderId: string, captured: number, actorId: string | null): Promise<Order | null> {
  return (await recordCaptures(tx, [{ orderId, captured }], actorId))[0] ?? null;
}

/** recordCapture() for an order the caller read under its row lock in this transaction. */
export async function recordCaptureOf(tx: Tx, order: Order, captured: number, actorId: string | null): Promise<void> {
  if (order.paymentStatus !== 'authorized') return;
  await setPaymentFigures(tx, order.id, { capturedAmount: captured, paymentStatus: 'captured' });
  await captureRecorded(tx, [{ order, captured }], actorId);
}

/** The payments' side of captures the orders' figures already show, and their timeline notes. */
async function captureRecorded(tx: Tx, captures: readonly { order: Order; captured: number }[], actorId: string | null): Promise<void> {
  await markCaptured(tx, captures.map(({ order, captured }) => ({ paymentId: order.paymentId, amount: captured })), actorId);
  for (const { order, captured } of captures) await note(tx, order.id, 'payment-captured', `Captured ${captured} ${order.currency}`, { amount: captured }, actorId);
}

/** Staff captures (fulfil, ship): the processor first, outside any transaction; the caller records it. */
export async function captureAtProvider(d: OrderDeps, order: Order): Promise<ProviderPayment | null> {
  if (order.paymentStatus !== 'authorized') return null;
  const payment = await paymentById(d.database.db, order.paymentId);
  if (!payment?.providerRef) throw new Error(`order ${order.id} has no payment reference`);
  try {
    return await providerFor(d.providers, payment.provider).capture(payment.providerRef, order.total);
  } catch (error) {
    if (error instanceof ProviderError) throw problem(409, 'payment-not-capturable', `The processor would not capture: ${error.message}`, { code: error.code });
    throw error;
  }
}

/** Captured, minus refunded, minus refunds already on their way. */
async function refundableOf(tx: Tx, order: { id: string; capturedAmount: number; refundedAmount: number }): Promise<number> {
  const [pending] = await tx.select({ sum: sql<string>`coalesce(sum(${refunds.amount}), 0)` }).from(refunds)
    .where(and(eq(refunds.orderId, order.id), eq(refunds.status, 'pending')));
  return order.capturedAmount - order.refundedAmount - Number(pending?.sum ?? 0);
}

/**
 * Refunds whatever of a cancelled order's capture is not refunded or on its way back yet; null
 * when nothing is left. Two paths can find the same capture on a cancelled order — the void
 * that came too late and the automatic capture that won — and only one may send it back.
 */
export async function refundCancelledCapture(tx: Tx, orderId: string, actorId: string | null, reason = 'order cancelled'): Promise<Refund | null> {
  const order = await orderById(tx, orderId, true);
  const open = await refundableOf(tx, order);
  return open > 0 ? requestRefund(tx, orderId, { amount: open, reason }, actorId) : null;
}

/**
 * Step 1 of a refund, in the caller's transaction: checks what may still be refunded (captured,
 * minus refunded, minus refunds already on their way) and writes the refund as pending.
 */
export async function requestRefund(tx: Tx, orderId: string, input: { amount: number; reason?: string; restock?: RestockChoice; returnId?: string | null }, actorId: string | null): Promise<Refund> {
  const order = await orderById(tx, orderId, true);
  if (order.paymentStatus === 'authorized') throw problem(422, 'not-captured', 'Nothing has been captured yet: cancel the order to void the authorization', { orderId });
  const refundable = await refundableOf(tx, order);
  if (input.amount > refundable) throw problem(422, 'refund-exceeds-capture', `At most ${Math.max(0, refundable)} can be refunded`, { orderId, refundable: Math.max(0, refundable), requested: input.amount });
  const [row] = await tx.insert(refunds).values({
    id: newId(), paymentId: order.paymentId, orderId, returnId: input.returnId ?? null, amount: input.amount,
    reason: input.reason ?? '', restock: input.restock ?? 'none', actorId,
  }).returning();
  return row as Refund;
}

/**
 * Steps 2 and 3: the processor refunds (the refund id is its idempotency key), then the result
 * is recorded with the audit entry, the order's figures, the timeline and the chosen restock.
 * Safe to run again for the same refund: only a pending row is sent, only once recorded.
 */
export async function executeRefund(d: OrderDeps, refundId: string): Promise<Refund> {
  const [refund] = await d.database.db.select().from(refunds).where(eq(refunds.id, refundId));
  if (!refund) throw new Error(`refund ${refundId} vanished`);
  if (refund.status !== 'pending') return refund;
  const payment = await paymentById(d.database.db, refund.paymentId);
  if (!payment?.providerRef) throw new Error(`refund ${refundId}: payment has no reference`);
  try {
    await providerFor(d.providers, payment.provider).refund(payment.providerRef, refund.amount, refund.id);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error; // network trouble: stays pending, resumed later
    await d.database.transaction(async (tx) => {
      const [failed] = await tx.update(refunds).set({ status: 'failed', failureCode: error.code, updatedAt: sql`now()` })
        .where(and(eq(refunds.id, refundId), eq(refunds.status, 'pending'))).returning();
      if (failed) await note(tx, refund.orderId, 'refund-failed', `The processor refused a refund of ${refund.amount}: ${error.message}`, { amount: refund.amount, code: error.code }, refund.actorId);
    });
    throw problem(502, 'provider-refused', error.message, { code: error.code });
  }
  return d.database.transaction((tx) => finishRefund(tx, refund));
}

async function finishRefund(tx: Tx, refund: Refund): Promise<Refund> {
  const [done] = await tx.update(refunds).set({ status: 'succeeded', updatedAt: sql`now()` })
    .where(and(eq(refunds.id, refund.id), eq(refunds.status, 'pending'))).returning();
  if (!done) return refund;
  const order = await orderById(tx, refund.orderId, true);
  await markRefunded(tx, refund.paymentId, refund.amount, refund.actorId);
  const refunded = order.refundedAmount + refund.amount;
  await setPaymentFigures(tx, order.id, { refundedAmount: refunded, paymentStatus: refunded >= order.capturedAmount ? 'refunded' : 'partially_refunded' });
  await note(tx, order.id, 'refunded', `Refunded ${refund.amount} ${order.currency}${refund.reason ? `: ${refund.reason}` : ''}`, { amount: refund.amount, refundId: refund.id, returnId: refund.returnId }, refund.actorId);
  if (refund.restock === 'release') await restockOrder(tx, order.id, 'refunded');
  if (refund.restock === 'shelf') {
    // The goods came back to the shelf: stock on hand grows, with the reason on record.
    for (const line of await linesOf(tx, [order.id])) {
      await adjustStock(tx, { variantId: line.variantId, delta: line.quantity, reason: 'returned', note: `order ${order.number}` }, refund.actorId);
    }
  }
  if (refund.returnId) await markReturnRefunded(tx, refund.returnId, refund.amount, refund.actorId);
  return done;
}

/**
 * Step 2 of cancelling an authorized order (step 1 cancelled it): void at the processor, then
 * record. If a capture got there first, the money is recorded as captured and refunded.
 */
export async function voidCancelled(d: OrderDeps, orderId: string, actorId: string | null): Promise<void> {
  const order = await orderById(d.database.db, orderId);
  if (order.paymentStatus !== 'authorized') return;
  const payment = await paymentById(d.database.db, order.paymentId);
  if (!payment?.providerRef) return;
  const provider = providerFor(d.providers, payment.provider);
  let state: ProviderPayment;
  try {
    state = await provider.void(payment.providerRef);
  } catch (error) {
    if (!(error instanceof ProviderError) || error.code !== 'already_captured') throw error;
    state = await provider.retrieve(payment.providerRef);
  }
  if (state.status === 'captured') {
    const refund = await d.database.transaction(async (tx) => {
      await recordCapture(tx, orderId, state.captured, actorId);
      return refundCancelledCapture(tx, orderId, actorId);
    });
    if (refund) await executeRefund(d, refund.id);
    return;
  }
  await d.database.transaction(async (tx) => {
    const locked = await orderById(tx, orderId, true);
    if (locked.paymentStatus !== 'authorized') return;
    await markVoided(tx, locked.paymentId, actorId);
    await setPaymentFigures(tx, orderId, { paymentStatus: 'voided' });
    await note(tx, orderId, 'payment-voided', 'Authorization voided', {}, actorId);
  });
}

/**
 * The sweeper's repair of money movements a crash cut short: refunds still pending after a
 * minute are sent again (same key), cancelled orders still holding an authorization are voided.
 */
export async function resumeMoneyMovements(d: OrderDeps, olderThanMs = 60_000): Promise<{ refunds: number; voids: number }> {
  const before = new Date(Date.now() - olderThanMs).toISOString();
  const stuck = await d.database.db.select({ id: refunds.id }).from(refunds)
    .where(and(eq(refunds.status, 'pending'), lt(refunds.createdAt, before))).limit(100);
  for (const { id } of stuck) await executeRefund(d, id).catch((error: unknown) => d.logger.warn({ err: error, refundId: id }, 'refund not resumed'));
  const held = await d.database.db.select({ id: orders.id }).from(orders)
    .where(and(eq(orders.status, 'cancelled'), eq(orders.paymentStatus, 'authorized'), lt(orders.updatedAt, before))).limit(100);
  for (const { id } of held) await voidCancelled(d, id, null).catch((error: unknown) => d.logger.warn({ err: error, orderId: id }, 'void not resumed'));
  return { refunds: stuck.length, voids: held.length };
}
