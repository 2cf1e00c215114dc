import { eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { variantsForCheckout } from '../catalog/for-checkout.js';
import { cartItems } from '../carts/schema.js';
import { priceCart } from '../carts/pricing.js';
import { cartCheckingOut, cartLines, cartReopened, lockCartOfCheckout } from '../carts/service.js';
import { releaseCheckout, reserveStock } from '../inventory/stock.js';
import { ProviderError, type AuthorizeResult, type PaymentProvider } from '../payments/provider.js';
import { createPayment, markFailed, paymentByCheckout, providerFor, recordAuthorization } from '../payments/service.js';
import { completeCheckout, type CompletionResult } from './complete.js';
import type { OrderDeps } from './deps.js';
import type { AuthorizedPayment, PricedCheckout } from './place.js';

export interface CheckoutInput {
  paymentToken: string;
  provider?: string;
  email?: string;
}

/**
 * POST /store/carts/{id}/checkout. Step 1, one short transaction: lock the cart, re-price its
 * lines from the catalog, open a payment and hold the stock (last, so the hot stock rows are
 * locked for the least time). Step 2, outside any transaction: ask the processor to authorize.
 * Step 3: complete (the same operation the webhook runs) or undo step 1.
 */
export async function startCheckout(deps: OrderDeps, cartId: string, token: string | undefined, input: CheckoutInput): Promise<CompletionResult> {
  const provider = providerFor(deps.providers, input.provider ?? 'test');
  const opened = await deps.database.transaction(async (tx) => {
    const checkoutId = newId();
    const cart = await cartCheckingOut(tx, cartId, token, { checkoutId, email: input.email ?? null });
    if (cart.status === 'completed') return { done: true as const };
    if (cart.checkoutId !== checkoutId) throw problem(409, 'checkout-in-progress', `This cart is already being checked out; POST /store/carts/${cartId}/complete says whether that payment waits for the shopper (and where to send them)`, { cartId });
    if (!cart.email) throw problem(422, 'email-required', 'Give an e-mail address for the order confirmation', { field: 'email' });
    const lines = await repriceLines(tx, cart.id, cart.currency);
    // Codes are re-checked here (strict), before any money moves; their uses are taken when the order is placed.
    const { totals } = await priceCart(tx, cart, lines, deps.pricing, { strict: true });
    const paymentId = newId();
    await createPayment(tx, { id: paymentId, cartId, checkoutId, amount: totals.total, currency: cart.currency, provider: provider.name });
    await reserveStock(tx, checkoutId, lines, new Date(Date.now() + deps.reservationTtlSeconds * 1000));
    return { done: false as const, checkoutId, paymentId, amount: totals.total, currency: cart.currency, lines, totals };
  });
  if (opened.done) return completeCheckout(deps, cartId);
  return payAndComplete(deps, cartId, provider, opened, input.paymentToken);
}

interface OpenedCheckout extends AuthorizedPayment, PricedCheckout {
  currency: string;
}

/** Steps 2 and 3 of startCheckout; once the processor has answered, the processor's webhooks about the payment find it in deps.ownCheckouts. */
async function payAndComplete(deps: OrderDeps, cartId: string, provider: PaymentProvider, opened: OpenedCheckout, paymentToken: string): Promise<CompletionResult> {
  let result;
  try {
    result = await provider.authorize({ paymentId: opened.paymentId, amount: opened.amount, currency: opened.currency, token: paymentToken });
  } catch (error) {
    await failCheckout(deps, opened.checkoutId, error instanceof ProviderError ? error.code : 'provider_error', false);
    if (error instanceof ProviderError) throw problem(422, 'payment-token-invalid', error.message, { code: error.code });
    throw error;
  }
  return deps.ownCheckouts.track(provider.name, result.ref, () => recordAndComplete(deps, cartId, opened, result));
}

async function recordAndComplete(deps: OrderDeps, cartId: string, opened: OpenedCheckout, result: AuthorizeResult): Promise<CompletionResult> {
  // One statement, so no transaction around it (a begin and a commit are two more round trips).
  // Not recorded: the payment was adopted while this request waited (see recordAuthorization), so where it stands is asked, not told.
  if (!(await recordAuthorization(deps.database.db, opened.paymentId, result))) return completeCheckout(deps, cartId);
  if (result.status === 'declined') {
    await failCheckout(deps, opened.checkoutId, result.failureCode ?? 'card_declined', false);
    throw problem(402, 'payment-declined', result.failureCode === 'insufficient_funds' ? 'The card has insufficient funds' : 'The card was declined', { code: result.failureCode ?? 'card_declined' });
  }
  if (result.status === 'requires_action') return { status: 'requires_action', cartId, nextAction: result.nextAction ?? null };
  // The processor's answer to this request's own call for this amount is not asked for again.
  if (result.status !== 'authorized') return completeCheckout(deps, cartId);
  return completeCheckout(deps, cartId, { authorized: opened });
}

/** Prices are re-resolved at checkout: the cart shows what was true when added, the order what is true now. */
async function repriceLines(tx: Tx, cartId: string, currency: string) {
  const lines = await cartLines(tx, cartId);
  if (lines.length === 0) throw problem(422, 'cart-empty', 'The cart has no items', { cartId });
  const variants = await variantsForCheckout(tx, lines.map((l) => l.variantId), { currency });
  for (const line of lines) {
    const v = variants.get(line.variantId);
    if (!v || !v.published) throw problem(422, 'variant-unavailable', `${line.sku} is no longer for sale; remove it from the cart`, { variantId: line.variantId, itemId: line.id });
    if (!v.price) throw problem(422, 'currency-mismatch', `${line.sku} has no price in ${currency}`, { variantId: line.variantId, currency });
    if (v.price.amount !== line.unitAmount) {
      line.unitAmount = v.price.amount;
      await tx.update(cartItems).set({ unitAmount: v.price.amount }).where(eq(cartItems.id, line.id));
    }
  }
  return lines;
}

/**
 * Undoes a checkout that will not become an order: the stock goes back, the payment is
 * failed (voided at the processor first when it had been authorized), the cart reopens.
 * Safe to run twice or after completion (then it does nothing).
 */
export async function failCheckout(deps: OrderDeps, checkoutId: string, reason: string, voidAtProvider: boolean): Promise<void> {
  const payment = await paymentByCheckout(deps.database.db, checkoutId);
  if (voidAtProvider && payment?.providerRef) {
    await providerFor(deps.providers, payment.provider).void(payment.providerRef).catch((error: unknown) => deps.logger.warn({ err: error, checkoutId }, 'void failed'));
  }
  await deps.database.transaction(async (tx) => {
    const cart = await lockCartOfCheckout(tx, checkoutId);
    if (!cart || cart.status !== 'checking_out') return;
    await releaseCheckout(tx, checkoutId, reason);
    if (payment) await markFailed(tx, payment.id, reason, voidAtProvider);
    await cartReopened(tx, cart.id);
  });
}
