import { problem } from '../../platform/http/problem.js';
import { adjustStock } from '../inventory/admin.js';
import { restockOrder } from '../inventory/stock.js';
import type { OrderDeps } from './deps.js';
import { captureOrder, refundOrder, voidOrRefundAll } from './payments.js';
import { linesOf, orderById, transition } from './service.js';
import { assertTransition } from './state.js';

/** Staff actions: each one transaction, the illegal ones refused before anything moves. */
export async function cancelOrder(deps: OrderDeps, orderId: string, reason: string, actorId: string | null) {
  return deps.database.transaction(async (tx) => {
    const order = await orderById(tx, orderId, true);
    assertTransition(order.status, 'cancelled');
    await restockOrder(tx, orderId, 'order_cancelled');
    await voidOrRefundAll(tx, deps, orderId, actorId);
    return transition(tx, orderId, 'cancelled', actorId, { reason });
  });
}

export async function refund(deps: OrderDeps, orderId: string, input: { amount: number; restock?: boolean; reason?: string }, actorId: string | null) {
  return deps.database.transaction(async (tx) => {
    await refundOrder(tx, deps, orderId, input.amount, actorId);
    const order = await orderById(tx, orderId);
    if (input.restock) {
      if (order.status === 'shipped' || order.status === 'delivered') {
        // The goods came back to the shelf: stock on hand grows, with the reason on record.
        for (const line of await linesOf(tx, [orderId])) {
          await adjustStock(tx, { variantId: line.variantId, delta: line.quantity, reason: 'returned', note: `order ${order.number}` }, actorId);
        }
      } else await restockOrder(tx, orderId, 'refunded');
    }
    return order;
  });
}

export async function fulfil(deps: OrderDeps, orderId: string, actorId: string | null) {
  return deps.database.transaction(async (tx) => {
    const order = await orderById(tx, orderId, true);
    assertTransition(order.status, 'fulfilled');
    if (deps.capture === 'on-fulfilment') await captureOrder(tx, deps, orderId, actorId);
    return transition(tx, orderId, 'fulfilled', actorId);
  });
}

export async function ship(deps: OrderDeps, orderId: string, input: { carrier: string; trackingNumber: string }, actorId: string | null) {
  return deps.database.transaction(async (tx) => {
    const order = await orderById(tx, orderId, true);
    if (order.status === 'paid') {
      // Shipping a paid order packs it on the way.
      if (deps.capture === 'on-fulfilment') await captureOrder(tx, deps, orderId, actorId);
      await transition(tx, orderId, 'fulfilled', actorId);
    }
    return transition(tx, orderId, 'shipped', actorId, input);
  });
}

export async function deliver(deps: OrderDeps, orderId: string, actorId: string | null) {
  return deps.database.transaction((tx) => transition(tx, orderId, 'delivered', actorId));
}

export function assertOwner(order: { customerId: string | null }, customerId: string): void {
  if (order.customerId !== customerId) throw problem(404, 'order-not-found', 'No such order among yours');
}
