import { consumer, type ConsumerDefinition } from '../../platform/events/consumers.js';
import { paymentAuthorized } from '../payments/events.js';
import { auditAuthorization } from '../payments/service.js';
import { captureAfterCommit } from './capture.js';
import type { OrderDeps } from './deps.js';
import { orderPlaced } from './events.js';
import { transitionFrom } from './service.js';

/** The order.placed saga steps that belong to orders and payments (inventory and fulfillment run their own). */
export function orderConsumers(deps: OrderDeps): ConsumerDefinition[] {
  return [
    consumer('payments.audit-authorization', paymentAuthorized, (tx, event) => auditAuthorization(tx, event.payload)),
    consumer('orders.mark-paid', orderPlaced, async (tx, event) => {
      await transitionFrom(tx, event.payload.orderId, 'pending', 'paid', null);
    }),
    // The intent only: the processor is called after this transaction commits (capture.ts).
    consumer('payments.capture-policy', orderPlaced, async (tx, event) => {
      if (deps.capture !== 'immediate') return;
      await captureAfterCommit(deps, tx, event.payload);
    }),
  ];
}
