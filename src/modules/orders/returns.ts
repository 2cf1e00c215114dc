import { and, asc, desc, eq, inArray, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../../platform/db/database.js';
import { publish } from '../../platform/events/outbox.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { mulDivHalfUp } from '../carts/totals.js';
import { adjustStock } from '../inventory/admin.js';
import { refunds } from '../payments/schema.js';
import type { OrderDeps } from './deps.js';
import { returnApproved, returnReceived, returnRefunded, returnRejected, returnRequested } from './events.js';
import { executeRefund, requestRefund } from './payments.js';
import { orderLines, orderReturnLines, orderReturns, orderTimeline, type RETURN_REASONS, type RETURN_STATUSES } from './schema.js';
import { note, orderById, type Order } from './service.js';

export type ReturnStatus = (typeof RETURN_STATUSES)[number];
export type ReturnReason = (typeof RETURN_REASONS)[number];
type Return = typeof orderReturns.$inferSelect;

/** The return lifecycle: staff decide, the parcel arrives, the money goes back. */
export const RETURN_TRANSITIONS: Readonly<Record<ReturnStatus, readonly ReturnStatus[]>> = {
  requested: ['approved', 'rejected'],
  approved: ['received', 'rejected'],
  received: ['refunded'],
  rejected: [],
  refunded: [],
};

export function assertReturnTransition(from: ReturnStatus, to: ReturnStatus): void {
  if (!RETURN_TRANSITIONS[from].includes(to)) {
    throw problem(409, 'illegal-return-transition', `A return that is ${from} cannot become ${to}`, { from, to, allowed: RETURN_TRANSITIONS[from] });
  }
}

const DAY_MS = 86_400_000;

export interface ReturnRequest {
  lines: { orderLineId: string; quantity: number; reason: ReturnReason; note?: string }[];
  note?: string;
}

/**
 * A customer asks to return goods of a delivered order, within the window counted from
 * delivery. The order row is locked, so two requests at once cannot both return the last unit.
 */
export async function requestReturn(deps: OrderDeps, customerId: string, orderId: string, input: ReturnRequest, now = new Date()) {
  const id = await deps.database.transaction(async (tx) => {
    const order = await orderById(tx, orderId, true).catch(() => null);
    if (!order || order.customerId !== customerId) throw problem(404, 'order-not-found', 'No such order among yours');
    if (order.status !== 'delivered') throw problem(409, 'order-not-delivered', `Only a delivered order can be returned; this one is ${order.status}`, { status: order.status });
    const [delivered] = await tx.select({ at: orderTimeline.at }).from(orderTimeline)
      .where(and(eq(orderTimeline.orderId, orderId), eq(orderTimeline.kind, 'delivered'))).orderBy(desc(orderTimeline.at)).limit(1);
    const deliveredAt = new Date(delivered?.at ?? order.updatedAt);
    const closes = new Date(deliveredAt.getTime() + deps.returnWindowDays * DAY_MS);
    if (now > closes) {
      throw problem(422, 'return-window-closed', `Returns are accepted for ${deps.returnWindowDays} days after delivery; this window closed on ${closes.toISOString()}`, { deliveredAt: deliveredAt.toISOString(), windowDays: deps.returnWindowDays });
    }
    const ids = input.lines.map((l) => l.orderLineId);
    if (new Set(ids).size !== ids.length) throw problem(422, 'duplicate-return-line', 'Each order line may appear once in a return', { field: 'lines' });
    const bought = new Map((await tx.select().from(orderLines).where(eq(orderLines.orderId, orderId))).map((l) => [l.id, l]));
    const already = await returnedSoFar(tx, orderId);
    for (const [i, line] of input.lines.entries()) {
      const ordered = bought.get(line.orderLineId);
      if (!ordered) throw problem(422, 'unknown-order-line', `Line ${line.orderLineId} is not part of this order`, { field: `lines/${i}/orderLineId`, orderLineId: line.orderLineId });
      const returnable = ordered.quantity - (already.get(line.orderLineId) ?? 0);
      if (line.quantity > returnable) {
        throw problem(422, 'return-quantity-exceeded', `At most ${returnable} of ${ordered.sku} can still be returned`, { field: `lines/${i}/quantity`, orderLineId: line.orderLineId, returnable, requested: line.quantity });
      }
    }
    const returnId = newId();
    await tx.insert(orderReturns).values({ id: returnId, orderId, customerId, note: input.note ?? '' });
    await tx.insert(orderReturnLines).values(input.lines.map((l) => ({
      id: newId(), returnId, orderLineId: l.orderLineId, variantId: bought.get(l.orderLineId)!.variantId, quantity: l.quantity, reason: l.reason, note: l.note ?? '',
    })));
    const units = input.lines.reduce((n, l) => n + l.quantity, 0);
    await note(tx, orderId, 'return-requested', `Return of ${units} item(s) requested`, { returnId, lines: input.lines }, customerId);
    await publish(tx, returnRequested.create(returnId, refOf(order, returnId, 'requested')));
    return returnId;
  });
  return returnView(deps.database.db, id);
}

/** Units per order line already in returns that were not rejected. */
async function returnedSoFar(tx: Tx, orderId: string): Promise<Map<string, number>> {
  const rows = await tx.select({ line: orderReturnLines.orderLineId, quantity: sql<string>`sum(${orderReturnLines.quantity})` })
    .from(orderReturnLines).innerJoin(orderReturns, eq(orderReturns.id, orderReturnLines.returnId))
    .where(and(eq(orderReturns.orderId, orderId), ne(orderReturns.status, 'rejected'))).groupBy(orderReturnLines.orderLineId);
  return new Map(rows.map((r) => [r.line, Number(r.quantity)]));
}

const refOf = (order: Order, returnId: string, status: ReturnStatus, extra: { amount?: number; reason?: string } = {}) =>
  ({ returnId, orderId: order.id, number: order.number, customerId: order.customerId, status, ...extra });

async function lockReturn(tx: Tx, returnId: string): Promise<Return> {
  const [ret] = await tx.select().from(orderReturns).where(eq(orderReturns.id, returnId)).for('update');
  if (!ret) throw problem(404, 'return-not-found', `No return ${returnId}`, { returnId });
  return ret;
}

async function move(tx: Tx, ret: Return, to: ReturnStatus, actorId: string | null, message: string, extra: { decisionNote?: string; amount?: number } = {}) {
  assertReturnTransition(ret.status, to);
  await tx.update(orderReturns).set({
    status: to, updatedAt: sql`now()`,
    ...(extra.decisionNote !== undefined ? { decisionNote: extra.decisionNote } : {}),
    ...(extra.amount !== undefined ? { refundedAmount: sql`${orderReturns.refundedAmount} + ${extra.amount}` } : {}),
  }).where(eq(orderReturns.id, ret.id));
  const order = await orderById(tx, ret.orderId);
  await note(tx, ret.orderId, `return-${to}`, message, { returnId: ret.id, ...extra }, actorId);
  const event = { approved: returnApproved, rejected: returnRejected, received: returnReceived, refunded: returnRefunded, requested: returnRequested }[to];
  await publish(tx, event.create(ret.id, refOf(order, ret.id, to, { ...(extra.amount !== undefined ? { amount: extra.amount } : {}), ...(extra.decisionNote ? { reason: extra.decisionNote } : {}) })));
}

export async function approveReturn(deps: OrderDeps, returnId: string, actorId: string | null, decisionNote = '') {
  await deps.database.transaction(async (tx) => move(tx, await lockReturn(tx, returnId), 'approved', actorId, 'Return approved', { decisionNote }));
  return returnView(deps.database.db, returnId);
}

export async function rejectReturn(deps: OrderDeps, returnId: string, reason: string, actorId: string | null) {
  await deps.database.transaction(async (tx) => move(tx, await lockReturn(tx, returnId), 'rejected', actorId, `Return rejected: ${reason}`, { decisionNote: reason }));
  return returnView(deps.database.db, returnId);
}

/** The parcel arrived: each line goes back on the shelf or not (damaged goods), by staff's choice. */
export async function receiveReturn(deps: OrderDeps, returnId: string, input: { lines?: { id: string; restock: boolean }[] }, actorId: string | null) {
  await deps.database.transaction(async (tx) => {
    const ret = await lockReturn(tx, returnId);
    assertReturnTransition(ret.status, 'received');
    const lines = await tx.select().from(orderReturnLines).where(eq(orderReturnLines.returnId, returnId));
    const choice = new Map((input.lines ?? []).map((l) => [l.id, l.restock]));
    for (const id of choice.keys()) {
      if (!lines.some((l) => l.id === id)) throw problem(422, 'unknown-return-line', `Line ${id} is not part of this return`, { field: 'lines', id });
    }
    const order = await orderById(tx, ret.orderId);
    let restocked = 0;
    for (const line of lines) {
      if (!(choice.get(line.id) ?? true)) continue;
      await adjustStock(tx, { variantId: line.variantId, delta: line.quantity, reason: 'returned', note: `return of order ${order.number}` }, actorId);
      await tx.update(orderReturnLines).set({ restocked: true }).where(eq(orderReturnLines.id, line.id));
      restocked += line.quantity;
    }
    await move(tx, ret, 'received', actorId, `Return received (${restocked} unit(s) restocked)`);
  });
  return returnView(deps.database.db, returnId);
}

/**
 * What returned units of a line are worth: what the shopper paid for them, their share of the
 * line's total (after its discounts, with the tax it carried when prices exclude tax), not
 * their list price. Rounded half-up on the units returned so far, so the returns of a whole
 * line add up to exactly what it cost, however it was split.
 */
export function returnedUnitsValue(line: { lineTotal: number; bought: number; earlier: number; returning: number }): number {
  return mulDivHalfUp(line.lineTotal, line.earlier + line.returning, line.bought) - mulDivHalfUp(line.lineTotal, line.earlier, line.bought);
}

/**
 * Refund a received return: by default the value of its units (returnedUnitsValue, capped at
 * what can still be refunded), or the amount staff give. Written as a pending refund, sent to the processor
 * outside the transaction; the return becomes refunded when the money has moved.
 */
export async function refundReturn(deps: OrderDeps, returnId: string, input: { amount?: number }, actorId: string | null) {
  const pending = await deps.database.transaction(async (tx) => {
    const ret = await lockReturn(tx, returnId);
    assertReturnTransition(ret.status, 'refunded');
    const [open] = await tx.select({ id: refunds.id }).from(refunds).where(and(eq(refunds.returnId, returnId), eq(refunds.status, 'pending')));
    if (open) throw problem(409, 'refund-in-progress', 'A refund of this return is already on its way', { returnId, refundId: open.id });
    // The order lock makes refunds of one order's returns take turns, so each return's units are
    // valued after those of the line valued before them, once: two refunds at once must not both
    // round from the same start (879 + 879 + 879 for a line of 2,638), nor a refused one retried
    // after another took its place.
    const order = await orderById(tx, ret.orderId, true);
    const before = alias(orderReturnLines, 'valued_before');
    const valuedEarlier = tx.select({ n: sql<number>`coalesce(sum(${before.quantity}), 0)::int` }).from(before)
      .where(and(eq(before.orderLineId, orderReturnLines.orderLineId), isNotNull(before.valuedFrom)));
    await tx.update(orderReturnLines).set({ valuedFrom: sql`(${valuedEarlier})` })
      .where(and(eq(orderReturnLines.returnId, returnId), isNull(orderReturnLines.valuedFrom)));
    let amount = input.amount;
    if (amount === undefined) {
      const lines = await tx.select({ returning: orderReturnLines.quantity, bought: orderLines.quantity, lineTotal: orderLines.lineTotal, earlier: sql<number>`${orderReturnLines.valuedFrom}` })
        .from(orderReturnLines).innerJoin(orderLines, eq(orderLines.id, orderReturnLines.orderLineId)).where(eq(orderReturnLines.returnId, returnId));
      amount = Math.min(lines.reduce((sum, l) => sum + returnedUnitsValue(l), 0), order.capturedAmount - order.refundedAmount);
      if (amount <= 0) throw problem(422, 'refund-exceeds-capture', 'Nothing captured is left to refund', { returnId, refundable: 0 });
    }
    return requestRefund(tx, ret.orderId, { amount, reason: 'return', returnId }, actorId);
  });
  await executeRefund(deps, pending.id);
  return returnView(deps.database.db, returnId);
}

/** Called in the transaction that records the refund's money (payments.ts). */
export async function markReturnRefunded(tx: Tx, returnId: string, amount: number, actorId: string | null): Promise<void> {
  const ret = await lockReturn(tx, returnId);
  await move(tx, ret, 'refunded', actorId, `Return refunded: ${amount}`, { amount });
}

export async function returnView(db: Db, returnId: string) {
  const [ret] = await db.select().from(orderReturns).where(eq(orderReturns.id, returnId));
  if (!ret) throw problem(404, 'return-not-found', `No return ${returnId}`, { returnId });
  return (await viewsOf(db, [ret]))[0]!;
}

async function viewsOf(db: Db, list: Return[]) {
  const lines = list.length ? await db.select().from(orderReturnLines).where(inArray(orderReturnLines.returnId, list.map((r) => r.id))).orderBy(asc(orderReturnLines.id)) : [];
  return list.map((r) => ({
    id: r.id, orderId: r.orderId, customerId: r.customerId, status: r.status, note: r.note, decisionNote: r.decisionNote,
    refundedAmount: r.refundedAmount, createdAt: new Date(r.createdAt).toISOString(), updatedAt: new Date(r.updatedAt).toISOString(),
    lines: lines.filter((l) => l.returnId === r.id).map((l) => ({ id: l.id, orderLineId: l.orderLineId, variantId: l.variantId, quantity: l.quantity, reason: l.reason, note: l.note, restocked: l.restocked })),
  }));
}

export async function returnsOfOrder(db: Db, orderId: string) {
  return viewsOf(db, await db.select().from(orderReturns).where(eq(orderReturns.orderId, orderId)).orderBy(asc(orderReturns.createdAt)));
}

export async function listReturns(db: Db, filter: { status?: ReturnStatus; limit: number }) {
  const rows = await db.select().from(orderReturns).where(filter.status ? eq(orderReturns.status, filter.status) : undefined)
    .orderBy(desc(orderReturns.createdAt), desc(orderReturns.id)).limit(filter.limit);
  return { items: await viewsOf(db, rows) };
}
