import { expiredCheckouts } from '../inventory/stock.js';
import { providerFor } from '../payments/service.js';
import { failCheckout } from './checkout.js';
import { completeCheckout } from './complete.js';
import type { OrderDeps } from './deps.js';
import { checkoutPayment, mayStillBeAnswered } from './orphans.js';

/**
 * Checkouts whose stock hold ran out. If the shopper paid and simply never came back, the
 * order is completed now (an order is never lost to a closed browser, nor to a crash before
 * the authorization was recorded: the processor is asked); otherwise the authorization is
 * voided and the stock goes back on sale.
 */
export async function sweepExpiredCheckouts(deps: OrderDeps, now = new Date()): Promise<{ completed: number; released: number }> {
  let completed = 0;
  let released = 0;
  for (const checkoutId of await expiredCheckouts(deps.database.db, now)) {
    try {
      const payment = await checkoutPayment(deps, checkoutId, undefined, now.getTime());
      // A hold can run out while the authorization is under way, or before its lost answer can
      // be looked up (the processor's orphanedAfterMs): releasing the stock then would leave an
      // authorization with no checkout. The next pass looks again.
      if (payment && mayStillBeAnswered(deps, payment, now.getTime())) continue;
      const state = payment?.providerRef ? await providerFor(deps.providers, payment.provider).retrieve(payment.providerRef) : null;
      if (payment && (state?.status === 'authorized' || state?.status === 'captured')) {
        await completeCheckout(deps, payment.cartId, { orderIdOnly: true });
        completed++;
        continue;
      }
      await failCheckout(deps, checkoutId, 'reservation_expired', Boolean(payment?.providerRef));
      released++;
    } catch (error) {
      deps.logger.warn({ err: error, checkoutId }, 'expired checkout not swept');
    }
  }
  return { completed, released };
}
