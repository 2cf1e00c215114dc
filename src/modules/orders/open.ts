import type { Tx } from '../../platform/db/database.js';
import { groupedOrAlone, onePer, type GroupAnswers } from '../../platform/grouped.js';
import { Problem, problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { variantsForCheckout, variantsInCurrencies, type CheckoutVariant } from '../catalog/for-checkout.js';
import { priceCart } from '../carts/pricing.js';
import { cartCheckingOut, cartLines, cartsCheckingOut, linesOfCarts, openCartsOf, type CartItem } from '../carts/service.js';
import { cartItems } from '../carts/schema.js';
import { availability, lockOrder, outOfStock, reserveStock, reserveStockTogether } from '../inventory/stock.js';
import { createPayment, createPayments } from '../payments/service.js';
import { promotionCandidatesOfCarts } from '../promotions/service.js';
import { eq } from 'drizzle-orm';
import type { OrderDeps } from './deps.js';
import type { AuthorizedPayment, PricedCheckout } from './place.js';

/** What opening a checkout on a cart takes: the shopper's cart, the processor and the e-mail given. */
export interface CheckoutOpening {
  cartId: string;
  token: string | undefined;
  provider: string;
  email: string | null;
}

export interface OpenedCheckout extends AuthorizedPayment, PricedCheckout {
  currency: string;
}

/** An open checkout, its payment to authorize; or `done`: the cart has its order already. */
export type Opening = { done: true } | ({ done: false } & OpenedCheckout);

/** Most checkouts opened in one transaction. */
const GROUP_MAX = 50;

/** Thrown in a group's transaction when its writes did not go as read: the group rolls back, and each opens on its own. */
class NotPlain extends Error {}

/**
 * Step 1 of a checkout: the cart moves to checking_out, its lines re-priced from the catalog,
 * a payment opened and the stock held, in one transaction with the checkouts asked for at the
 * same moment (group commit, platform/grouped.ts): one statement per step for the group, where
 * each checkout took a transaction of nine. A refusal (no e-mail, an empty cart, a code that no
 * longer applies, no stock left) is that checkout's answer alone and writes nothing. A checkout
 * the group cannot take in the plain way (a cart missing, not the caller's or not open, a price
 * that moved, a second checkout of the same cart) opens on its own after the group, and so does
 * every one of a group whose transaction failed.
 */
export function openCheckout(deps: OrderDeps, opening: CheckoutOpening): Promise<Opening> {
  return openerOf(deps)(opening);
}

const openerOf = onePer((deps: OrderDeps) => groupedOrAlone(
  (group: CheckoutOpening[]) => deps.database.transaction((tx) => openAll(tx, deps, group)),
  (opening: CheckoutOpening) => openAlone(deps, opening),
  {
    maxSize: GROUP_MAX,
    onFailure: (error, checkouts) => {
      if (!(error instanceof NotPlain)) deps.logger.warn({ err: error, checkouts }, 'a group of checkouts failed to open together; opening them one by one');
    },
  },
));

const holdExpiry = (deps: OrderDeps) => new Date(Date.now() + deps.reservationTtlSeconds * 1000);
const emailRequired = () => problem(422, 'email-required', 'Give an e-mail address for the order confirmation', { field: 'email' });

/** One checkout in a transaction of its own: every case. */
function openAlone(deps: OrderDeps, opening: CheckoutOpening): Promise<Opening> {
  return deps.database.transaction(async (tx) => {
    const checkoutId = newId();
    const cart = await cartCheckingOut(tx, opening.cartId, opening.token, { checkoutId, email: opening.email });
    if (cart.status === 'completed') return { done: true as const };
    if (cart.checkoutId !== checkoutId) {
      throw problem(409, 'checkout-in-progress', `This cart is already being checked out; POST /store/carts/${cart.id}/complete says whether that payment waits for the shopper (and where to send them)`, { cartId: cart.id });
    }
    if (!cart.email) throw emailRequired();
    const lines = await repriceLines(tx, cart.id, cart.currency);
    // Codes are re-checked here (strict), before any money moves; their uses are taken when the order is placed.
    const { totals } = await priceCart(tx, cart, lines, deps.pricing, { strict: true });
    const paymentId = newId();
    await createPayment(tx, { id: paymentId, cartId: cart.id, checkoutId, amount: totals.total, currency: cart.currency, provider: opening.provider });
    // Last, so the hot stock rows are locked for the least time.
    await reserveStock(tx, checkoutId, lines, holdExpiry(deps));
    return { done: false as const, checkoutId, paymentId, amount: totals.total, currency: cart.currency, lines, totals };
  });
}

/** Prices are re-resolved at checkout: the cart shows what was true when added, the order what is true now. */
async function repriceLines(tx: Tx, cartId: string, currency: string): Promise<CartItem[]> {
  const lines = nonEmpty(await cartLines(tx, cartId), cartId);
  const variants = await variantsForCheckout(tx, lines.map((l) => l.variantId), { currency });
  for (const line of lines) {
    const amount = priceNow(line, variants.get(line.variantId), currency);
    if (amount !== line.unitAmount) {
      line.unitAmount = amount;
      await tx.update(cartItems).set({ unitAmount: amount }).where(eq(cartItems.id, line.id));
    }
  }
  return lines;
}

function nonEmpty(lines: CartItem[], cartId: string): CartItem[] {
  if (lines.length === 0) throw problem(422, 'cart-empty', 'The cart has no items', { cartId });
  return lines;
}

/** What the line's variant sells at now, or why it no longer can be bought in the cart's currency. */
function priceNow(line: CartItem, variant: CheckoutVariant | undefined, currency: string): number {
  if (!variant || !variant.published) throw problem(422, 'variant-unavailable', `${line.sku} is no longer for sale; remove it from the cart`, { variantId: line.variantId, itemId: line.id });
  if (!variant.price) throw problem(422, 'currency-mismatch', `${line.sku} has no price in ${currency}`, { variantId: line.variantId, currency });
  return variant.price.amount;
}

/** The group's answers, by position; none where a checkout is to open on its own. */
async function openAll(tx: Tx, deps: OrderDeps, group: readonly CheckoutOpening[]): Promise<GroupAnswers<Opening>> {
  const answers: GroupAnswers<Opening> = [];
  const refuse = (at: number, error: unknown) => {
    if (!(error instanceof Problem)) throw error;
    answers[at] = { status: 'rejected', reason: error };
  };
  const taking = (await openCartsOf(tx, group)).map(({ request: opening, at, cart }) => ({ opening, at, cart: { ...cart, email: opening.email ?? cart.email } }));
  if (taking.length === 0) return answers;
  const ids = taking.map((t) => t.cart.id);
  const lines = await linesOfCarts(tx, ids);
  const variants = await variantsInCurrencies(tx, taking.flatMap((t) => (lines.get(t.cart.id) ?? []).map((l) => ({ currency: t.cart.currency, variantId: l.variantId }))));
  const candidates = await promotionCandidatesOfCarts(tx, ids);
  const priced = [];
  for (const t of taking) {
    try {
      if (!t.cart.email) throw emailRequired();
      const cartLines = nonEmpty(lines.get(t.cart.id) ?? [], t.cart.id);
      const moved = cartLines.some((l) => priceNow(l, variants.get(t.cart.currency)?.get(l.variantId), t.cart.currency) !== l.unitAmount);
      if (moved) continue;
      const { totals } = await priceCart(tx, t.cart, cartLines, deps.pricing, { strict: true, candidates: candidates.get(t.cart.id) });
      priced.push({ ...t, lines: cartLines, totals });
    } catch (error) {
      refuse(t.at, error);
    }
  }
  // Stock is refused here as the hold would refuse it, from what is left once the checkouts before have taken theirs.
  const stock = await availability(tx, [...new Set(priced.flatMap((p) => p.lines.map((l) => l.variantId)))]);
  const taken = new Map<string, number>();
  const fitting = priced.filter((p) => {
    const needs = lockOrder(p.lines);
    const left = (variantId: string) => (stock.get(variantId)?.available ?? 0) - (taken.get(variantId) ?? 0);
    const short = needs.find((n) => !stock.get(n.variantId)?.backorder && left(n.variantId) < n.quantity);
    if (short) refuse(p.at, outOfStock(short.variantId, left(short.variantId), short.quantity));
    else for (const n of needs) taken.set(n.variantId, (taken.get(n.variantId) ?? 0) + n.quantity);
    return !short;
  });
  if (fitting.length === 0) return answers;
  const opened = fitting.map((p) => ({ ...p, checkoutId: newId(), paymentId: newId() }));
  const moved = await cartsCheckingOut(tx, opened.map((c) => ({ id: c.cart.id, checkoutId: c.checkoutId, email: c.opening.email })));
  if (moved !== opened.length) throw new NotPlain('a cart locked open is no longer open');
  await createPayments(tx, opened.map((c) => ({ id: c.paymentId, cartId: c.cart.id, checkoutId: c.checkoutId, amount: c.totals.total, currency: c.cart.currency, provider: c.opening.provider })));
  if (!(await reserveStockTogether(tx, opened.map((c) => ({ checkoutId: c.checkoutId, lines: c.lines })), holdExpiry(deps)))) throw new NotPlain('a variant\'s stock fits no location');
  for (const c of opened) {
    answers[c.at] = { status: 'fulfilled', value: { done: false, checkoutId: c.checkoutId, paymentId: c.paymentId, amount: c.totals.total, currency: c.cart.currency, lines: c.lines, totals: c.totals } };
  }
  return answers;
}
