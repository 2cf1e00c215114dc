import { consumer, type ConsumerDefinition } from '../../platform/events/consumers.js';
import { restockOrder } from '../inventory/stock.js';
import { paymentAuthorized } from '../payments/events.js';
import { ProviderError } from '../payments/provider.js';
import { auditAuthorization } from '../payments/service.js';
import type { OrderDeps } from './deps.js';
import { orderPlaced } from './events.js';
import { captureOrder } from './payments.js';
import { orderById, transition } from './service.js';

/** The order.placed saga steps that belong to orders and payments (inventory and fulfillment run their own). */
export function orderConsumers(deps: OrderDeps): ConsumerDefinition[] {
  return [
    consumer('payments.audit-authorization', paymentAuthorized, (tx, event) => auditAuthorization(tx, event.payload)),
    consumer('orders.mark-paid', orderPlaced, async (tx, event) => {
      const order = await orderById(tx, event.payload.orderId);
      if (order.status === 'pending') await transition(tx, order.id, 'paid', null);
    }),
    consumer('payments.capture-policy', orderPlaced, async (tx, event) => {
      if (deps.capture !== 'immediate') return;
      try {
        await captureOrder(tx, deps, event.payload.orderId, null);
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        // The processor will not capture (authorization lapsed or was voided): compensate — stock back, order cancelled, customer told.
        const order = await orderById(tx, event.payload.orderId, true);
        if (order.status === 'cancelled') return;
        await restockOrder(tx, order.id, 'capture_failed');
        await transition(tx, order.id, 'cancelled', null, { reason: `payment could not be captured (${error.code})` });
      }
    }),
  ];
}
