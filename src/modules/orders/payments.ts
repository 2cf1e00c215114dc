import type { Tx } from '../../platform/db/database.js';
import { problem } from '../../platform/http/problem.js';
import { ProviderError } from '../payments/provider.js';
import { markCaptured, markRefunded, markVoided, paymentById, providerFor } from '../payments/service.js';
import type { OrderDeps } from './deps.js';
import { note, orderById, setPaymentFigures } from './service.js';

/**
 * Money movements of an order. The processor is called first (its capture is idempotent per
 * payment, so a retry after a crash never charges twice), then our records follow in the
 * caller's transaction together with the audit entry.
 */
export async function captureOrder(tx: Tx, deps: OrderDeps, orderId: string, actorId: string | null): Promise<void> {
  const order = await orderById(tx, orderId, true);
  if (order.paymentStatus !== 'authorized') return;
  const payment = await paymentById(tx, order.paymentId);
  if (!payment?.providerRef) throw new Error(`order ${orderId} has no payment reference`);
  const result = await providerFor(deps.providers, payment.provider).capture(payment.providerRef, order.total);
  await markCaptured(tx, payment.id, result.captured, actorId);
  await setPaymentFigures(tx, orderId, { capturedAmount: result.captured, paymentStatus: 'captured' });
  await note(tx, orderId, 'payment-captured', `Captured ${result.captured} ${order.currency}`, { amount: result.captured }, actorId);
}

export async function voidOrRefundAll(tx: Tx, deps: OrderDeps, orderId: string, actorId: string | null): Promise<void> {
  const order = await orderById(tx, orderId, true);
  const payment = await paymentById(tx, order.paymentId);
  if (!payment?.providerRef) return;
  const provider = providerFor(deps.providers, payment.provider);
  if (order.paymentStatus === 'authorized') {
    await provider.void(payment.providerRef);
    await markVoided(tx, payment.id, actorId);
    await setPaymentFigures(tx, orderId, { paymentStatus: 'voided' });
    await note(tx, orderId, 'payment-voided', 'Authorization voided', {}, actorId);
  } else if (order.capturedAmount > order.refundedAmount) {
    await refundOrder(tx, deps, orderId, order.capturedAmount - order.refundedAmount, actorId);
  }
}

export async function refundOrder(tx: Tx, deps: OrderDeps, orderId: string, amount: number, actorId: string | null): Promise<void> {
  const order = await orderById(tx, orderId, true);
  const refundable = order.capturedAmount - order.refundedAmount;
  if (order.paymentStatus === 'authorized') throw problem(422, 'not-captured', 'Nothing has been captured yet: cancel the order to void the authorization', { orderId });
  if (amount > refundable) throw problem(422, 'refund-exceeds-capture', `At most ${refundable} can be refunded`, { orderId, refundable, requested: amount });
  const payment = await paymentById(tx, order.paymentId);
  if (!payment?.providerRef) throw new Error(`order ${orderId} has no payment reference`);
  try {
    await providerFor(deps.providers, payment.provider).refund(payment.providerRef, amount, `${orderId}:${order.refundedAmount}`);
  } catch (error) {
    if (error instanceof ProviderError) throw problem(502, 'provider-refused', error.message, { code: error.code });
    throw error;
  }
  await markRefunded(tx, payment.id, amount, actorId);
  const refunded = order.refundedAmount + amount;
  await setPaymentFigures(tx, orderId, { refundedAmount: refunded, paymentStatus: refunded >= order.capturedAmount ? 'refunded' : 'partially_refunded' });
  await note(tx, orderId, 'refunded', `Refunded ${amount} ${order.currency}`, { amount }, actorId);
}
