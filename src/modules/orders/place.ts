import { sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { selectRows } from '../../platform/db/database.js';
import { publish } from '../../platform/events/outbox.js';
import { groupedOrAlone, onePer } from '../../platform/grouped.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { priceCart } from '../carts/pricing.js';
import type { Totals } from '../carts/totals.js';
import { cartCompletedBy, cartLines, cartsCompletedBy, type Cart, type CartItem } from '../carts/service.js';
import { attachAllToOrders, attachToOrder, reserveStock } from '../inventory/stock.js';
import type { AuthorizeResult } from '../payments/provider.js';
import { markAllAuthorized, markAuthorized, recordAuthorization } from '../payments/service.js';
import { redeemPromotions } from '../promotions/service.js';
import type { OrderDeps } from './deps.js';
import { orderPlaced } from './events.js';
import { orderCounters, orderLines, orders, orderTimeline } from './schema.js';

/** Order numbers start here, so the first order does not look like the shop's only one. */
export const FIRST_ORDER_NUMBER = 1001;

/** A payment the processor has authorized, as recorded for the checkout it pays. */
export interface AuthorizedPayment {
  checkoutId: string;
  paymentId: string;
  amount: number;
}

/** What the checkout priced and authorized moments ago, in the same request: the order keeps it. */
export interface PricedCheckout {
  /** The lines (re-priced) the checkout opened with; no edit changes a cart that is checking out. */
  lines: CartItem[];
  /**
   * What they cost when it opened (the amount authorized): the order keeps them, and the
   * promotions' guarded redemption still refuses one used up, ended or switched off since.
   */
  totals: Totals;
}

/** An order placed, with its number; or one another completion placed first, its number not read (not every caller needs it). */
export type Placement = { orderId: string; number: number | null };

/** One checkout's order, in the caller's transaction: every case (a hold expired, promotions to redeem, totals to re-price). */
export async function placeOrder(tx: Tx, deps: OrderDeps, cartId: string, payment: AuthorizedPayment, known?: PricedCheckout): Promise<Placement> {
  const { checkoutId, paymentId, amount: authorized } = payment;
  const orderId = newId();
  // The cart is locked by its move to completed, which this transaction takes back if the order is not placed.
  const completion = await cartCompletedBy(tx, cartId, checkoutId, orderId);
  if (!completion?.moved) return placedBefore(cartId, completion);
  const { cart } = completion;
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
  await redeemPromotions(tx, { orderId, cart, taken: takenPromotions(totals) });
  const placing = newOrderOf(cart, orderId, payment, totals, lines);
  const [number] = await insertNumberedOrders(tx, [placing]);
  await publish(tx, placedEventOf(placing, number as number));
  return { orderId, number: number as number };
}

/** A cart that did not move to completed: its order, when another completion placed it; else the checkout is over. */
function placedBefore(cartId: string, completion: { cart: Cart } | null): Placement {
  if (!completion) throw problem(404, 'cart-not-found', `No cart ${cartId}`, { cartId });
  const { cart } = completion;
  if (cart.status === 'completed' && cart.orderId) return { orderId: cart.orderId, number: null };
  throw problem(409, 'checkout-superseded', 'This checkout was abandoned or replaced; start a new one', { cartId });
}

const takenPromotions = (totals: Totals) => totals.promotions.filter((p) => p.amount > 0);

/**
 * A checkout whose own request has just had its payment authorized, with what it was priced at
 * (`amount` is those totals' total) and the processor's answer, not recorded yet: the group
 * records it with the order.
 */
export interface AuthorizedCheckout {
  cartId: string;
  payment: AuthorizedPayment & PricedCheckout;
  answer: AuthorizeResult;
}

/** The processor's answer could not be recorded: the payment took another meanwhile (an adoption, see recordAuthorization). Where it stands is to be asked. */
export class AnswerNotRecorded extends Error {}

/** Most checkouts placed in one transaction. */
const GROUP_MAX = 50;

// The group's statements (cartsCompletedBy, attachAllToOrders, markAllAuthorized) sit beside their
// one-order versions, which stay: PostgreSQL plans a statement with `= any($1)` at every run, a
// cost a group pays once and an order placed alone would pay at each statement.

/** Thrown in a group's transaction when one of its checkouts is not the plain case: the group rolls back, and each is placed on its own. */
class NotPlain extends Error {}

/**
 * Places the order of a checkout its own request just authorized, together with the others
 * authorized at the same moment (group commit, platform/grouped.ts): one transaction and one
 * statement per table for the group, and one turn on the order counter, where each order took a
 * transaction of seven statements and queued on the counter alone. Only a checkout with no
 * promotion use to take comes here (each use is a guarded update of its own).
 */
export function placeWithOthers(deps: OrderDeps, checkout: AuthorizedCheckout): Promise<Placement> {
  return placerOf(deps)(checkout);
}

const placerOf = onePer((deps: OrderDeps) => groupedOrAlone(
  (group: AuthorizedCheckout[]) => deps.database.transaction((tx) => placeAll(tx, group)),
  async (c: AuthorizedCheckout) => {
    if (!(await recordAuthorization(deps.database, c.payment.paymentId, c.answer))) throw new AnswerNotRecorded(`payment ${c.payment.paymentId}`);
    return deps.database.transaction((tx) => placeOrder(tx, deps, c.cartId, c.payment, c.payment));
  },
  {
    maxSize: GROUP_MAX,
    onFailure: (error, orders) => {
      if (!(error instanceof NotPlain)) deps.logger.warn({ err: error, orders }, 'a group of orders failed together; placing them one by one');
    },
  },
));

export const mayBePlacedWithOthers = (priced: PricedCheckout): boolean => takenPromotions(priced.totals).length === 0;

/**
 * A group all at once. A cart that another completion (the webhook) took first gets that
 * completion's order, as in placeOrder. A checkout whose hold is gone sends the whole group
 * back (NotPlain), each to be placed on its own by placeOrder, which knows every case; so does
 * any failure of the group's transaction.
 */
async function placeAll(tx: Tx, group: readonly AuthorizedCheckout[]): Promise<PromiseSettledResult<Placement>[]> {
  const list = group.map((c) => ({ ...c, orderId: newId() }));
  const completions = await cartsCompletedBy(tx, list.map((c) => ({ id: c.cartId, checkoutId: c.payment.checkoutId, orderId: c.orderId })));
  const answers: PromiseSettledResult<Placement>[] = [];
  const moving: { checkout: (typeof list)[number]; cart: Cart; at: number }[] = [];
  list.forEach((checkout, at) => {
    const completion = completions.get(checkout.cartId) ?? null;
    if (completion?.moved) moving.push({ checkout, cart: completion.cart, at });
    else answers[at] = settled(() => placedBefore(checkout.cartId, completion));
  });
  if (moving.length === 0) return answers;
  const held = await attachAllToOrders(tx, moving.map(({ checkout: c }) => ({ checkoutId: c.payment.checkoutId, orderId: c.orderId })));
  if (held.size !== moving.length) throw new NotPlain('a checkout\'s hold has expired');
  if (!(await markAllAuthorized(tx, moving.map(({ checkout: c }) => ({ paymentId: c.payment.paymentId, orderId: c.orderId, answer: c.answer }))))) {
    throw new NotPlain('a payment took another answer meanwhile');
  }
  const placing = moving.map(({ checkout: c, cart }) => newOrderOf(cart, c.orderId, c.payment, c.payment.totals, c.payment.lines));
  const numbers = await insertNumberedOrders(tx, placing);
  await publish(tx, ...placing.map((o, i) => placedEventOf(o, numbers[i] as number)));
  moving.forEach(({ checkout, at }, i) => {
    answers[at] = { status: 'fulfilled', value: { orderId: checkout.orderId, number: numbers[i] as number } };
  });
  return answers;
}

function settled<T>(answer: () => T): PromiseSettledResult<T> {
  try {
    return { status: 'fulfilled', value: answer() };
  } catch (reason) {
    return { status: 'rejected', reason };
  }
}

type NewOrder = Omit<typeof orders.$inferSelect, 'number' | 'status' | 'paymentStatus' | 'capturedAmount' | 'refundedAmount' | 'version' | 'createdAt' | 'updatedAt'>;
type NewLine = Omit<typeof orderLines.$inferSelect, 'orderId'>;
interface NewPlacement {
  order: NewOrder;
  lines: NewLine[];
}

function newOrderOf(cart: Cart, orderId: string, payment: AuthorizedPayment, totals: Totals, lines: readonly CartItem[]): NewPlacement {
  return {
    order: {
      id: orderId, cartId: cart.id, paymentId: payment.paymentId, checkoutId: payment.checkoutId, customerId: cart.customerId, email: cart.email ?? '', currency: cart.currency,
      subtotal: totals.subtotal, discount: totals.discount, shipping: totals.shipping, tax: totals.tax, total: totals.total, taxInclusive: totals.taxInclusive,
      shippingAddress: cart.shippingAddress, billingAddress: cart.billingAddress, notes: cart.notes,
    },
    lines: lines.map((l, i) => ({
      id: newId(), variantId: l.variantId, productId: l.productId, sku: l.sku, title: l.title, quantity: l.quantity,
      unitAmount: l.unitAmount, lineTotal: totals.lines[i]?.total ?? 0, position: i,
    })),
  };
}

const placedEventOf = ({ order: o, lines }: NewPlacement, number: number) => orderPlaced.create(o.id, {
  orderId: o.id, number, customerId: o.customerId, email: o.email, total: o.total, currency: o.currency, paymentId: o.paymentId,
  productIds: [...new Set(lines.map((l) => l.productId))],
});

/**
 * The orders' numbers, the orders, their lines and their first timeline entries, in one
 * statement, whatever their count: the numbers follow in the order given. They are taken here,
 * in the transaction that commits the orders, so a failed attempt rolls them back too (no gaps);
 * every placement queues on the counter row, so it is taken last: what follows until the commit
 * is only the outbox's insert. One statement rather than four also spares three round trips,
 * each of which the queue behind the counter would wait out.
 */
async function insertNumberedOrders(tx: Tx, placing: readonly NewPlacement[]): Promise<number[]> {
  const given = JSON.stringify(placing.map(({ order, lines }) => ({ ...order, lines, noteId: newId() })));
  const placed = await selectRows<{ id: string; number: string | number }>(tx, sql`with counter as (
      insert into ${orderCounters} (name, last) values ('orders', ${FIRST_ORDER_NUMBER - 1} + ${placing.length}::int)
      on conflict (name) do update set last = ${orderCounters.last} + ${placing.length}::int returning last
    ), given as (
      select o, n from jsonb_array_elements(${given}::jsonb) with ordinality as g(o, n)
    ), placed as (
      insert into ${orders} (id, number, cart_id, payment_id, checkout_id, customer_id, email, currency, subtotal, discount, shipping, tax, total, tax_inclusive, shipping_address, billing_address, notes)
      select (o->>'id')::uuid, last - ${placing.length}::int + n, (o->>'cartId')::uuid, (o->>'paymentId')::uuid, (o->>'checkoutId')::uuid, (o->>'customerId')::uuid, o->>'email', o->>'currency',
        (o->>'subtotal')::bigint, (o->>'discount')::bigint, (o->>'shipping')::bigint, (o->>'tax')::bigint, (o->>'total')::bigint, (o->>'taxInclusive')::boolean,
        nullif(o->'shippingAddress', 'null'::jsonb), nullif(o->'billingAddress', 'null'::jsonb), o->>'notes'
      from counter, given
      returning id, number
    ), placed_lines as (
      insert into ${orderLines} (id, order_id, variant_id, product_id, sku, title, quantity, unit_amount, line_total, position)
      select (l->>'id')::uuid, (o->>'id')::uuid, (l->>'variantId')::uuid, (l->>'productId')::uuid, l->>'sku', l->>'title', (l->>'quantity')::int, (l->>'unitAmount')::bigint, (l->>'lineTotal')::bigint, (l->>'position')::int
      from given, jsonb_array_elements(o->'lines') as l
    ), placed_note as (
      insert into ${orderTimeline} (id, order_id, kind, message, data)
      select (o->>'noteId')::uuid, placed.id, 'placed', 'Order ' || placed.number || ' placed', jsonb_build_object('total', (o->>'total')::bigint, 'currency', o->>'currency')
      from placed join given on (o->>'id')::uuid = placed.id
    )
    select id, number from placed`);
  const numberOf = new Map(placed.map((p) => [p.id, Number(p.number)]));
  return placing.map(({ order }) => numberOf.get(order.id) as number);
}
