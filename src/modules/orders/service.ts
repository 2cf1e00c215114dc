import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db/database.js';
import { prepared, type Placeholders } from '../../platform/db/prepared.js';
import { insertAtCommit } from '../../platform/db/commit-batch.js';
import { inOrderOf, valueForId } from '../../platform/db/set-based.js';
import { publish } from '../../platform/events/outbox.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { orderCancelled, orderDelivered, orderFulfilled, orderPaid, orderShipped } from './events.js';
import { orderLines, orders, orderTimeline } from './schema.js';
import { assertTransition, type OrderStatus } from './state.js';

export type Order = typeof orders.$inferSelect;

const selectOrder = prepared((db, p: Placeholders<{ id: string }>) => db.select().from(orders).where(eq(orders.id, p.id)));
const lockOrder = prepared((db, p: Placeholders<{ id: string }>) => db.select().from(orders).where(eq(orders.id, p.id)).for('update'));

export async function orderById(db: Db, id: string, lock = false): Promise<Order> {
  const [order] = await (lock ? lockOrder : selectOrder)(db, { id });
  if (!order) throw problem(404, 'order-not-found', `No order ${id}`, { orderId: id });
  return order;
}

// Written at the transaction's end: a consumer run's notes in one insert. orderDetail flushes them first.
const notes = insertAtCommit(orderTimeline);

export async function note(tx: Tx, orderId: string, kind: string, message: string, data: Record<string, unknown> = {}, actorId: string | null = null): Promise<void> {
  await notes.add(tx, [{ id: newId(), orderId, kind, message, data, actorId }]);
}

export const orderRef = (o: Order) => ({ orderId: o.id, number: o.number, customerId: o.customerId, email: o.email, total: o.total, currency: o.currency, paymentId: o.paymentId });

/** Moves the order along its lifecycle under a row lock; an illegal move is a 409 and changes nothing. */
type TransitionExtra = { carrier?: string | null; trackingNumber?: string | null; reason?: string };

export async function transition(tx: Tx, orderId: string, to: OrderStatus, actorId: string | null, extra: TransitionExtra = {}): Promise<Order> {
  return transitionLocked(tx, await orderById(tx, orderId, true), to, actorId, extra);
}

const moveOrder = prepared((db, p: Placeholders<{ id: string; status: OrderStatus }>) =>
  db.update(orders).set({ status: sql`${p.status}`, version: sql`${orders.version} + 1`, updatedAt: sql`now()` }).where(eq(orders.id, p.id)).returning());

/** transition() of an order the caller read under its row lock in this transaction. */
export async function transitionLocked(tx: Tx, order: Order, to: OrderStatus, actorId: string | null, extra: TransitionExtra = {}): Promise<Order> {
  assertTransition(order.status, to);
  const [moved] = await moveOrder(tx, { id: order.id, status: to });
  return announceMove(tx, moved as Order, to, actorId, extra);
}

const moveOrdersFrom = prepared((db, p: Placeholders<{ ids: string[]; from: OrderStatus; to: OrderStatus }>) =>
  db.update(orders).set({ status: sql`${p.to}`, version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
    .where(and(sql`${orders.id} = any(${p.ids})`, eq(orders.status, p.from))).returning());

/**
 * The move `from` → `to` of the orders still at `from` (a consumer run's), in one guarded
 * statement rather than a locked read and an update each: the orders moved, in the order
 * given; one that has moved on, or is not there, is left as it is.
 */
export async function transitionAllFrom(tx: Tx, orderIds: readonly string[], from: OrderStatus, to: OrderStatus, actorId: string | null): Promise<Order[]> {
  assertTransition(from, to);
  const moved = inOrderOf(await moveOrdersFrom(tx, { ids: [...orderIds], from, to }), orderIds);
  for (const o of moved) await announceMove(tx, o, to, actorId, {});
  return moved;
}

/** What every move leaves: its timeline note and its event. */
async function announceMove(tx: Tx, o: Order, to: OrderStatus, actorId: string | null, extra: TransitionExtra): Promise<Order> {
  const orderId = o.id;
  const ref = orderRef(o);
  const tracking = extra.trackingNumber ? ` (${extra.carrier ?? 'carrier'} ${extra.trackingNumber})` : '';
  await note(tx, orderId, to, `Order ${o.number} ${to}${tracking}${extra.reason ? `: ${extra.reason}` : ''}`, { ...extra }, actorId);
  if (to === 'paid') await publish(tx, orderPaid.create(orderId, ref));
  if (to === 'fulfilled') await publish(tx, orderFulfilled.create(orderId, ref));
  if (to === 'shipped') await publish(tx, orderShipped.create(orderId, { ...ref, carrier: extra.carrier ?? null, trackingNumber: extra.trackingNumber ?? null }));
  if (to === 'delivered') await publish(tx, orderDelivered.create(orderId, ref));
  if (to === 'cancelled') await publish(tx, orderCancelled.create(orderId, { ...ref, reason: extra.reason ?? 'cancelled' }));
  return o;
}

// A figure left out (null) keeps its value.
const updatePaymentFigures = prepared((db, p: Placeholders<{ id: string; paymentStatus: Order['paymentStatus']; capturedAmount: number | null; refundedAmount: number | null }>) => db.update(orders).set({
  paymentStatus: sql`${p.paymentStatus}`, capturedAmount: sql`coalesce(${p.capturedAmount}, ${orders.capturedAmount})`, refundedAmount: sql`coalesce(${p.refundedAmount}, ${orders.refundedAmount})`,
  version: sql`${orders.version} + 1`, updatedAt: sql`now()`,
}).where(eq(orders.id, p.id)));

// `= any(…)`: the rows are locked in id order, as orders.mark-paid's run locks them (no deadlock between the two).
const updateCapturedFigures = prepared((db, p: Placeholders<{ ids: string[]; amounts: number[] }>) => db.update(orders).set({
  paymentStatus: 'captured', capturedAmount: valueForId(p.ids, p.amounts, orders.id, 'bigint'),
  version: sql`${orders.version} + 1`, updatedAt: sql`now()`,
}).where(and(sql`${orders.id} = any(${p.ids})`, eq(orders.paymentStatus, 'authorized'))).returning());

/**
 * Authorized orders' payments recorded as captured (a consumer run's at once), in one guarded
 * statement: the orders recorded, in the order given; one not authorized (any more) is left out.
 */
export async function setCapturedFigures(tx: Tx, captures: readonly { orderId: string; capturedAmount: number }[]): Promise<Order[]> {
  if (captures.length === 0) return [];
  const ids = captures.map((c) => c.orderId);
  return inOrderOf(await updateCapturedFigures(tx, { ids, amounts: captures.map((c) => c.capturedAmount) }), ids);
}

export async function setPaymentFigures(tx: Tx, orderId: string, figures: { capturedAmount?: number; refundedAmount?: number; paymentStatus: Order['paymentStatus'] }): Promise<void> {
  await updatePaymentFigures(tx, { id: orderId, paymentStatus: figures.paymentStatus, capturedAmount: figures.capturedAmount ?? null, refundedAmount: figures.refundedAmount ?? null });
}

export async function orderDetail(db: Db, order: Order) {
  // One after the other: `db` may be a transaction, whose one client cannot run two queries at once.
  const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(asc(orderLines.position));
  await notes.flush(db);
  const timeline = await db.select().from(orderTimeline).where(eq(orderTimeline.orderId, order.id)).orderBy(asc(orderTimeline.at), asc(orderTimeline.id));
  return {
    ...summary(order),
    subtotal: order.subtotal, discount: order.discount, shipping: order.shipping, tax: order.tax, taxInclusive: order.taxInclusive,
    capturedAmount: order.capturedAmount, refundedAmount: order.refundedAmount,
    shippingAddress: order.shippingAddress, billingAddress: order.billingAddress, notes: order.notes,
    lines: lines.map((l) => ({ id: l.id, variantId: l.variantId, productId: l.productId, sku: l.sku, title: l.title, quantity: l.quantity, unitAmount: l.unitAmount, total: l.lineTotal })),
    timeline: timeline.map((t) => ({ kind: t.kind, message: t.message, at: new Date(t.at).toISOString(), data: t.data })),
  };
}

const summary = (o: Order) => ({
  id: o.id, number: o.number, status: o.status, paymentStatus: o.paymentStatus, customerId: o.customerId, email: o.email,
  currency: o.currency, total: o.total, createdAt: new Date(o.createdAt).toISOString(),
});

/** Newest first, by a cursor on the creation time and id (stable under inserts). */
export async function listOrders(db: Db, filter: { customerId?: string; status?: OrderStatus; before?: string; limit: number }) {
  const conditions = [];
  if (filter.customerId) conditions.push(eq(orders.customerId, filter.customerId));
  if (filter.status) conditions.push(eq(orders.status, filter.status));
  if (filter.before) {
    const [at, id] = Buffer.from(filter.before, 'base64url').toString().split('|');
    if (!at || !id) throw problem(400, 'invalid-cursor', 'The cursor is not one this API gave out');
    conditions.push(sql`(${orders.createdAt}, ${orders.id}) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db.select().from(orders).where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(orders.createdAt), desc(orders.id)).limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    items: page.map(summary),
    nextCursor: rows.length > filter.limit && last ? Buffer.from(`${new Date(last.createdAt).toISOString()}|${last.id}`).toString('base64url') : null,
  };
}

export async function linesOf(db: Db, orderIds: readonly string[]) {
  return orderIds.length ? db.select().from(orderLines).where(inArray(orderLines.orderId, [...orderIds])) : [];
}

