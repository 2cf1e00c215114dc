import { adoptFoundPayment, paymentByCheckout, providerFor, type Payment } from '../payments/service.js';
import type { OrderDeps } from './deps.js';

const unanswered = (payment: Payment) => !payment.providerRef && payment.status === 'pending';

/**
 * A checkout's payment with no processor reference, older than its processor's
 * `orphanedAfterMs`, lost its authorization's answer: the process died between the processor's
 * reply and our record of it. Younger, it may still be answered: a checkout still running is
 * never taken for one.
 */
export const mayStillBeAnswered = (deps: OrderDeps, payment: Payment, now = Date.now()): boolean =>
  unanswered(payment) && now - Date.parse(payment.createdAt) < providerFor(deps.providers, payment.provider).orphanedAfterMs;

/**
 * Asks the processor about an orphaned payment and records what it holds, so the checkout then
 * completes (the money is there), or is failed with the hold voided, like any other: without
 * this an authorization made just before a crash stayed on the shopper's card until it lapsed.
 * Any other payment comes back as it was.
 */
export async function adoptOrphanedPayment(deps: OrderDeps, payment: Payment, now = Date.now()): Promise<Payment> {
  if (!unanswered(payment) || mayStillBeAnswered(deps, payment, now)) return payment;
  const found = await providerFor(deps.providers, payment.provider).findByPaymentId(payment.id);
  if (!found) return payment;
  deps.logger.warn({ paymentId: payment.id, ref: found.ref, status: found.status }, 'adopted a payment whose authorization was never recorded');
  return (await deps.database.transaction((tx) => adoptFoundPayment(tx, payment.id, found))) ?? payment;
}

/** A checkout's payment (`known` when the caller has just read it), adopted first if it is orphaned. */
export async function checkoutPayment(deps: OrderDeps, checkoutId: string, known?: Payment, now = Date.now()): Promise<Payment | null> {
  const recorded = known?.checkoutId === checkoutId ? known : await paymentByCheckout(deps.database.db, checkoutId);
  return recorded && adoptOrphanedPayment(deps, recorded, now);
}
