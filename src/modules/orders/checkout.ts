import { problem } from '../../platform/http/problem.js';
import { cartReopened, lockCartOfCheckout } from '../carts/service.js';
import { releaseCheckout } from '../inventory/stock.js';
import { ProviderError, type AuthorizeResult, type PaymentProvider } from '../payments/provider.js';
import { markFailed, paymentByCheckout, providerFor, recordAuthorization } from '../payments/service.js';
import { completeCheckout, type CompletionResult } from './complete.js';
import type { OrderDeps } from './deps.js';
import { openCheckout, type OpenedCheckout } from './open.js';
import { mayBePlacedWithOthers } from './place.js';

export interface CheckoutInput {
  paymentToken: string;
  provider?: string;
  email?: string;
}

/**
 * POST /store/carts/{id}/checkout. Step 1, one short transaction (open.ts): lock the cart,
 * re-price its lines from the catalog, open a payment and hold the stock. Step 2, outside any
 * transaction: ask the processor to authorize. Step 3: complete (the same operation the webhook
 * runs) or undo step 1.
 */
export async function startCheckout(deps: OrderDeps, cartId: string, token: string | undefined, input: CheckoutInput): Promise<CompletionResult> {
  const provider = providerFor(deps.providers, input.provider ?? 'test');
  const opened = await openCheckout(deps, { cartId, token, provider: provider.name, email: input.email ?? null });
  if (opened.done) return completeCheckout(deps, cartId);
  return payAndComplete(deps, cartId, provider, opened, input.paymentToken);
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
  // The plain case: the answer is recorded with the order, in the transaction of the group it is placed with (place.ts).
  if (result.status === 'authorized' && mayBePlacedWithOthers(opened)) return completeCheckout(deps, cartId, { authorized: opened, answer: result });
  // One statement (with the other answers of the moment), so no transaction around it (a begin and a commit are two more round trips).
  // Not recorded: the payment was adopted while this request waited (see recordAuthorization), so where it stands is asked, not told.
  if (!(await recordAuthorization(deps.database, opened.paymentId, result))) return completeCheckout(deps, cartId);
  if (result.status === 'declined') {
    await failCheckout(deps, opened.checkoutId, result.failureCode ?? 'card_declined', false);
    throw problem(402, 'payment-declined', result.failureCode === 'insufficient_funds' ? 'The card has insufficient funds' : 'The card was declined', { code: result.failureCode ?? 'card_declined' });
  }
  if (result.status === 'requires_action') return { status: 'requires_action', cartId, nextAction: result.nextAction ?? null };
  // The processor's answer to this request's own call for this amount is not asked for again.
  if (result.status !== 'authorized') return completeCheckout(deps, cartId);
  return completeCheckout(deps, cartId, { authorized: opened });
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
