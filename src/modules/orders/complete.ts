import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db/database.js';
import { selectRows } from '../../platform/db/database.js';
import { prepared, type Placeholders } from '../../platform/db/prepared.js';
import { publish } from '../../platform/events/outbox.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { priceCart } from '../carts/pricing.js';
import type { Totals } from '../carts/totals.js';
import { cartById, cartCompletedBy, cartLines, type CartItem } from '../carts/service.js';
import { redeemPromotions } from '../promotions/service.js';
import { attachToOrder, reserveStock } from '../inventory/stock.js';
import type { NextAction } from '../payments/provider.js';
import { markAuthorized, nextActionOf, providerFor, type Payment } from '../payments/service.js';
import { failCheckout } from './checkout.js';
import { checkoutPayment } from './orphans.js';
import type { OrderDeps } from './deps.js';
import { orderPlaced } from './events.js';
import { orderCounters, orderLines, orders, orderTimeline } from './schema.js';

export type CompletionResult =
  | { status: 'completed'; cartId: string; orderId: string; /** Absent only for a caller that asked for the order's id alone. */ number?: number }
  | { status: 'requires_action'; cartId: string; nextAction: NextAction | null };

/** Order numbers start here, so the first order does not look like the shop's only one. */
export const FIRST_ORDER_NUMBER = 1001;

/** A payment the processor has authorized, as recorded for the checkout it pays. */
export interface AuthorizedPayment {
  checkoutId: string;
  paymentId: string;
  amount: number;
}

export interface CompletionOptions {
  /** The processor authorized the payment in this very request (its answer, not a hint): it is not asked again. */
  authorized?: AuthorizedPayment & {
    /** The lines (re-priced) this request opened the checkout with; no edit changes a cart that is checking out. */
    lines: CartItem[];
    /**
     * What they cost when it opened, moments ago (the amount authorized): the order keeps them,
     * and the promotions' guarded redemption still refuses one used up, ended or switched off since.
     */
    totals: Totals;
  };
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
    placed = await deps.database.transaction((tx) => placeOrder(tx, deps, cartId, authorized, options.authorized));
  } catch (error) {
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

/** The order placed, with its number; or the order another completion placed first (its number not read: not every caller needs it). */
async function placeOrder(tx: Tx, deps: OrderDeps, cartId: string, payment: AuthorizedPayment, known?: { lines: CartItem[]; totals: Totals }): Promise<{ orderId: string; number: number | null }> {
  const { checkoutId, paymentId, amount: authorized } = payment;
  const orderId = newId();
  // The cart is locked by its move to completed, which this transaction takes back if the order is not placed.
  const completion = await cartCompletedBy(tx, cartId, checkoutId, orderId);
  if (!completion) throw problem(404, 'cart-not-found', `No cart ${cartId}`, { cartId });
  const { cart, moved } = completion;
  if (!moved) {
    if (cart.status === 'completed' && cart.orderId) return { orderId: cart.orderId, number: null };
    throw problem(409, 'checkout-superseded', 'This checkout was abandoned or replaced; start a new one', { cartId });
  }
  const lines = known?.lines ?? (await cartLines(tx, cartId));
  // The order takes the checkout's hold; when none is left (it expired and was released), the
  // stock is held again, for the order, or the checkout ends out of stock.
  const held = await attachToOrder(tx, checkoutId, orderId);
  if (held === 0) await reserveStock(tx, checkoutId, lines, new Date(Date.now() + deps.reservationTtlSeconds * 1000), orderId);
  const totals = known?.totals ?? (await priceCart(tx, cart, lines, deps.pricing, { strict: true })).totals;
  if (totals.total !== authorized) {
    throw problem(409, 'checkout-total-changed', `The cart now costs ${totals.total}, not the ${authorized} authorized; check out again`, { cartId, total: totals.total, authorized });
  }
  await markAuthorized(tx, paymentId, orderId);
  // The promotions' uses are taken in this transaction: the guarded update is what stops a
  // second order taking the last use; losing the race rolls the whole order back.
  await redeemPromotions(tx, { orderId, cart, taken: totals.promotions.filter((p) => p.amount > 0) });
  const number = await insertNumberedOrder(tx, {
    id: orderId, cartId, paymentId, checkoutId, customerId: cart.customerId, email: cart.email ?? '', currency: cart.currency,
    subtotal: totals.subtotal, discount: totals.discount, shipping: totals.shipping, tax: totals.tax, total: totals.total, taxInclusive: totals.taxInclusive,
    shippingAddress: cart.shippingAddress, billingAddress: cart.billingAddress, notes: cart.notes,
  }, lines.map((l, i) => ({
    id: newId(), variantId: l.variantId, productId: l.productId, sku: l.sku, title: l.title, quantity: l.quantity,
    unitAmount: l.unitAmount, lineTotal: totals.lines[i]?.total ?? 0, position: i,
  })));
  await publish(tx, orderPlaced.create(orderId, { orderId, number, customerId: cart.customerId, email: cart.email ?? '', total: totals.total, currency: cart.currency, paymentId, productIds: [...new Set(lines.map((l) => l.productId))] }));
  return { orderId, number };
}

const selectNumber = prepared((db, p: Placeholders<{ id: string }>) => db.select({ number: orders.number }).from(orders).where(eq(orders.id, p.id)));

async function orderNumber(db: Db, orderId: string): Promise<number> {
  const [order] = await selectNumber(db, { id: orderId });
  return order?.number ?? 0;
}

type NewOrder = Omit<typeof orders.$inferSelect, 'number' | 'status' | 'paymentStatus' | 'capturedAmount' | 'refundedAmount' | 'version' | 'createdAt' | 'updatedAt'>;
type NewLine = Omit<typeof orderLines.$inferSelect, 'orderId'>;
const jsonOrNull = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/**
 * The order's number, the order, its lines and its first timeline entry, in one statement.
 * The number is taken here, in the transaction that commits the order, so a failed attempt rolls
 * it back too (no gaps); every checkout queues on the counter row, so it is taken last: what
 * follows until the commit is only the outbox's insert. One statement rather than four also
 * spares three round trips, each of which the queue behind the counter would wait out.
 */
async function insertNumberedOrder(tx: Tx, o: NewOrder, lines: readonly NewLine[]): Promise<number> {
  const [placed] = await selectRows<{ number: string | number }>(tx, sql`with counter as (
      insert into ${orderCounters} (name, last) values ('orders', ${FIRST_ORDER_NUMBER})
      on conflict (name) do update set last = ${orderCounters.last} + 1 returning last
    ), placed as (
      insert into ${orders} (id, number, cart_id, payment_id, checkout_id, customer_id, email, currency, subtotal, discount, shipping, tax, total, tax_inclusive, shipping_address, billing_address, notes)
      select ${o.id}::uuid, last, ${o.cartId}::uuid, ${o.paymentId}::uuid, ${o.checkoutId}::uuid, ${o.customerId}::uuid, ${o.email}::text, ${o.currency}::text,
        ${o.subtotal}::bigint, ${o.discount}::bigint, ${o.shipping}::bigint, ${o.tax}::bigint, ${o.total}::bigint, ${o.taxInclusive}::boolean,
        ${jsonOrNull(o.shippingAddress)}::jsonb, ${jsonOrNull(o.billingAddress)}::jsonb, ${o.notes}::text from counter
      returning id, number
    ), placed_lines as (
      insert into ${orderLines} (id, order_id, variant_id, product_id, sku, title, quantity, unit_amount, line_total, position)
      select (l->>'id')::uuid, placed.id, (l->>'variantId')::uuid, (l->>'productId')::uuid, l->>'sku', l->>'title', (l->>'quantity')::int, (l->>'unitAmount')::bigint, (l->>'lineTotal')::bigint, (l->>'position')::int
      from placed, jsonb_array_elements(${JSON.stringify(lines)}::jsonb) as l
    ), placed_note as (
      insert into ${orderTimeline} (id, order_id, kind, message, data)
      select ${newId()}::uuid, placed.id, 'placed', 'Order ' || placed.number || ' placed', ${JSON.stringify({ total: o.total, currency: o.currency })}::jsonb from placed
    )
    select number from placed`);
  return Number((placed as { number: string | number }).number);
}

const completed = async (deps: OrderDeps, cartId: string, orderId: string): Promise<CompletionResult> =>
  ({ status: 'completed', cartId, orderId, number: await orderNumber(deps.database.db, orderId) });
