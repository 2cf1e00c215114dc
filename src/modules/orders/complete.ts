import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { prepared, type Placeholders } from '../../platform/db/prepared.js';
import { problem } from '../../platform/http/problem.js';
import { cartById } from '../carts/service.js';
import type { AuthorizeResult, NextAction } from '../payments/provider.js';
import { nextActionOf, providerFor, type Payment } from '../payments/service.js';
import { failCheckout } from './checkout.js';
import { checkoutPayment } from './orphans.js';
import type { OrderDeps } from './deps.js';
import { AnswerNotRecorded, placeOrder, placeWithOthers, type AuthorizedPayment, type PricedCheckout } from './place.js';
import { orders } from './schema.js';

export type CompletionResult =
  | { status: 'completed'; cartId: string; orderId: string; /** Absent only for a caller that asked for the order's id alone. */ number?: number }
  | { status: 'requires_action'; cartId: string; nextAction: NextAction | null };

export interface CompletionOptions {
  /** The processor authorized the payment in this very request (its answer, not a hint): it is not asked again. */
  authorized?: AuthorizedPayment & PricedCheckout;
  /** That answer, when it is not recorded yet: the order is placed with others, and records it (place.ts). */
  answer?: AuthorizeResult;
  /** The payment as the caller just read it (a webhook finds it by the processor's reference): not read again. */
  payment?: Payment;
  /** The caller answers with the order's id alone (a webhook, the sweeper): an order another completion placed is not read for its number. */
  orderIdOnly?: boolean;
}

/**
 * Completion of a cart's checkout: ONE serialized, idempotent operation. The shopper's return,
 * the processor's webhook (once, twice, early, late) and the expiry sweeper all call it; the
 * cart row lock serializes them and the first to hold it makes the order, the others find it.
 * orders.cart_id is unique as well, so even a bug above could not make a second order.
 */
export async function completeCheckout(deps: OrderDeps, cartId: string, options: CompletionOptions = {}): Promise<CompletionResult> {
  const authorized = options.authorized ?? (await askProcessor(deps, cartId, options.payment));
  if ('status' in authorized) return authorized;
  let placed;
  try {
    const known = options.authorized;
    placed = await (known && options.answer
      ? placeWithOthers(deps, { cartId, payment: known, answer: options.answer })
      : deps.database.transaction((tx) => placeOrder(tx, deps, cartId, authorized, known)));
  } catch (error) {
    if (error instanceof AnswerNotRecorded) return completeCheckout(deps, cartId);
    // The hold expired and the stock went to someone else: no order, and the money goes back.
    // So did a promotion whose last use another order took, or one that ended meanwhile.
    if (error instanceof Error && 'slug' in error && FAILS_CHECKOUT.test((error as { slug: string }).slug)) {
      await failCheckout(deps, authorized.checkoutId, 'stock_expired', true);
    }
    throw error;
  }
  if (placed.number !== null) return { status: 'completed', cartId, orderId: placed.orderId, number: placed.number };
  return options.orderIdOnly ? { status: 'completed', cartId, orderId: placed.orderId } : completed(deps, cartId, placed.orderId);
}

/**
 * Where the cart's checkout stands, from the processor: a webhook body or a returning client is
 * only a hint. The order when it is already placed; the next action when the shopper has a step
 * to do; otherwise the authorized payment to place the order with. A caller that knows the
 * payment (a webhook) has the cart's checkout from it, so the cart is not read first: placing
 * the order checks, under the cart's lock, that the cart is still in that checkout.
 */
async function askProcessor(deps: OrderDeps, cartId: string, known?: Payment): Promise<CompletionResult | AuthorizedPayment> {
  let checkoutId = known?.checkoutId;
  if (!checkoutId) {
    const cart = await cartById(deps.database.db, cartId);
    if (!cart) throw problem(404, 'cart-not-found', `No cart ${cartId}`, { cartId });
    if (cart.status === 'completed' && cart.orderId) return completed(deps, cartId, cart.orderId);
    if (!cart.checkoutId) throw problem(409, 'no-checkout', 'This cart has no checkout in progress', { cartId });
    checkoutId = cart.checkoutId;
  }
  const payment = await checkoutPayment(deps, checkoutId, known);
  if (!payment?.providerRef) throw problem(409, 'payment-not-started', 'The payment of this checkout has not reached the processor yet', { cartId });
  const provider = providerFor(deps.providers, payment.provider);
  const state = await provider.retrieve(payment.providerRef);
  // The processor's own URL, stored at authorization: this is also how a shopper who lost the first answer gets it again.
  if (state.status === 'requires_action') return { status: 'requires_action', cartId, nextAction: nextActionOf(payment) };
  if (state.status === 'declined' || state.status === 'voided') {
    await failCheckout(deps, payment.checkoutId, state.status === 'declined' ? 'card_declined' : 'voided', false);
    throw problem(402, 'payment-declined', 'The payment was not authorized', { code: state.status });
  }
  if (state.amount !== payment.amount) throw problem(409, 'payment-mismatch', 'The authorized amount differs from the checkout total', { cartId });
  return { checkoutId: payment.checkoutId, paymentId: payment.id, amount: payment.amount };
}

/** Outcomes of placing the order that end the checkout (stock back, payment voided, cart open again). */
const FAILS_CHECKOUT = /^(out-of-stock|promotion-.*|shipping-option-required|checkout-total-changed)$/;

const selectNumber = prepared((db, p: Placeholders<{ id: string }>) => db.select({ number: orders.number }).from(orders).where(eq(orders.id, p.id)));

async function orderNumber(db: Db, orderId: string): Promise<number> {
  const [order] = await selectNumber(db, { id: orderId });
  return order?.number ?? 0;
}

const completed = async (deps: OrderDeps, cartId: string, orderId: string): Promise<CompletionResult> =>
  ({ status: 'completed', cartId, orderId, number: await orderNumber(deps.database.db, orderId) });
