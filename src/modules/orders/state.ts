import { problem } from '../../platform/http/problem.js';
import type { ORDER_STATUSES } from './schema.js';

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * The order lifecycle. Refunds do not move it (they are the payment status beside it), so a
 * delivered order that is refunded stays delivered and says so in its payment status.
 */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['paid', 'cancelled'],
  paid: ['fulfilled', 'cancelled'],
  fulfilled: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

export const canMove = (from: OrderStatus, to: OrderStatus): boolean => TRANSITIONS[from].includes(to);

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canMove(from, to)) {
    throw problem(409, 'illegal-transition', `An order that is ${from} cannot become ${to}`, { from, to, allowed: TRANSITIONS[from] });
  }
}
