import type { Tx } from '../../platform/db/database.js';
import { problem } from '../../platform/http/problem.js';
import { restockOrder } from '../inventory/stock.js';
import type { OrderDeps } from './deps.js';
import { captureAtProvider, executeRefund, recordCapture, refundCancelledCapture, requestRefund, voidCancelled } from './payments.js';
import { orderById, transition, type Order } from './service.js';
import { assertTransition } from './state.js';

/**
 * Staff actions. Illegal ones are refused before anything moves; the processor is called
 * between transactions, never inside one (see payments.ts for how a crash in between heals).
 */
export async function cancelOrder(deps: OrderDeps, orderId: string, reason: string, actorId: string | null) {
  const plan = await deps.database.transaction(async (tx) => {
    const order = await orderById(tx, orderId, true);
    assertTransition(order.status, 'cancelled');
    await restockOrder(tx, orderId, 'order_cancelled');
    await transition(tx, orderId, 'cancelled', actorId, { reason });
    if (order.paymentStatus === 'authorized') return { void: true as const };
    // What staff already refunded, or asked to and the processor has not confirmed yet, is not sent twice.
    return { refund: await refundCancelledCapture(tx, orderId, actorId, `order cancelled: ${reason}`) };
  });
  if ('void' in plan) await voidCancelled(deps, orderId, actorId);
  if ('refund' in plan && plan.refund) await executeRefund(deps, plan.refund.id);
  return orderById(deps.database.db, orderId);
}

export async function refund(deps: OrderDeps, orderId: string, input: { amount: number; restock?: boolean; reason?: string }, actorId: string | null) {
  const pending = await deps.database.transaction(async (tx) => {
    const order = await orderById(tx, orderId, true);
    // Restocking goods that left the warehouse puts them back on the shelf; otherwise their hold is released.
    const restock = !input.restock ? 'none' : order.status === 'shipped' || order.status === 'delivered' ? 'shelf' : 'release';
    return requestRefund(tx, orderId, { amount: input.amount, reason: input.reason ?? '', restock }, actorId);
  });
  await executeRefund(deps, pending.id);
  return orderById(deps.database.db, orderId);
}

/** Fulfilling (or shipping a paid order) captures first when PAYMENT_CAPTURE=on-fulfilment. */
async function captureThenMove(deps: OrderDeps, orderId: string, actorId: string | null, move: (tx: Tx) => Promise<Order>) {
  const before = await orderById(deps.database.db, orderId);
  assertTransition(before.status, before.status === 'paid' ? 'fulfilled' : 'shipped');
  const captured = deps.capture === 'on-fulfilment' && before.status === 'paid' ? await captureAtProvider(deps, before) : null;
  return deps.database.transaction(async (tx) => {
    if (captured) await recordCapture(tx, orderId, captured.captured, actorId);
    return move(tx);
  });
}

export async function fulfil(deps: OrderDeps, orderId: string, actorId: string | null) {
  const before = await orderById(deps.database.db, orderId);
  assertTransition(before.status, 'fulfilled');
  return captureThenMove(deps, orderId, actorId, (tx) => transition(tx, orderId, 'fulfilled', actorId));
}

export async function ship(deps: OrderDeps, orderId: string, input: { carrier: string; trackingNumber: string }, actorId: string | null) {
  return captureThenMove(deps, orderId, actorId, async (tx) => {
    const order = await orderById(tx, orderId, true);
    // Shipping a paid order packs it on the way.
    if (order.status === 'paid') await transition(tx, orderId, 'fulfilled', actorId);
    return transition(tx, orderId, 'shipped', actorId, input);
  });
}

export async function deliver(deps: OrderDeps, orderId: string, actorId: string | null) {
  return deps.database.transaction((tx) => transition(tx, orderId, 'delivered', actorId));
}

export function assertOwner(order: { customerId: string | null }, customerId: string): void {
  if (order.customerId !== customerId) throw problem(404, 'order-not-found', 'No such order among yours');
}
