import { consumer, runConsumer, type ConsumerDefinition } from '../../platform/events/consumers.js';
import { paymentAuthorized } from '../payments/events.js';
import { auditAuthorization } from '../payments/service.js';
import { captureAfterCommit } from './capture.js';
import type { OrderDeps } from './deps.js';
import { orderPlaced } from './events.js';
import { transitionAllFrom } from './service.js';

/** The order.placed saga steps that belong to orders and payments (inventory and fulfillment run their own). */
export function orderConsumers(deps: OrderDeps): ConsumerDefinition[] {
  return [
    consumer('payments.audit-authorization', paymentAuthorized, (tx, event) => auditAuthorization(tx, event.payload)),
    runConsumer('orders.mark-paid', orderPlaced, async (tx, events) => {
      await transitionAllFrom(tx, events.map((e) => e.payload.orderId), 'pending', 'paid', null);
    }),
    // The intents only: the processor is called after this transaction commits (capture.ts).
    runConsumer('payments.capture-policy', orderPlaced, async (tx, events) => {
      if (deps.capture !== 'immediate') return;
      await captureAfterCommit(deps, tx, events.map((e) => e.payload));
    }),
  ];
}
