import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { selectRows } from '../src/platform/db/database.js';
import type { TestApp } from './support/test-app.js';
import { behindASlowOne, commitsDuring, expectProblem, inTrigger, postWebhook, settle, startQuietShop, whenCartCompletes, type Reply, type Shop } from './checkout-support.js';

/**
 * Orders placed together (orders/place.ts): checkouts authorized while a placement runs are
 * placed in one transaction after it. On PostgreSQL (DATABASE_URL) the groups are exactly as
 * arranged below; on embedded PGlite (one connection) requests take turns and seldom meet, so
 * there the transactions are not counted, and the rest holds however the orders were placed.
 */
const onServer = Boolean(process.env.DATABASE_URL);
const SECRET = 'whsec_grouped';
let app: TestApp;
let shop: Shop;
let staff: Record<string, string>;

beforeAll(async () => {
  ({ app, shop, staff } = await startQuietShop(SECRET));
}, 60_000);
afterAll(async () => app?.close());

async function cartsOf(n: number, variantId: string) {
  const carts = [];
  for (let i = 0; i < n; i++) {
    const cart = await shop.cart();
    await shop.add(cart, variantId);
    carts.push(cart);
  }
  return carts;
}

const counted = <T>(work: () => Promise<T>) => commitsDuring(app, work);

/**
 * The first cart's checkout is placed alone and held there half a second (a trigger), so the
 * others, checked out meanwhile, are authorized while it runs: they are placed after it, together.
 */
const checkoutBehindASlowOne = (first: { id: string; headers: Record<string, string> }, rest: { id: string; headers: Record<string, string> }[]) =>
  behindASlowOne((statement) => whenCartCompletes(app, statement, first.id), (cart: { id: string; headers: Record<string, string> }) => shop.checkout(cart), first, rest);

const placedOf = async (cartIds: string[]) => selectRows<{ cart_id: string; number: number; lines: number; notes: number; payment_status: string; holds: number; created_at: string }>(app.database.db, sql`
  select o.cart_id, o.number::int as number, o.created_at::text as created_at,
    (select count(*)::int from order_lines l where l.order_id = o.id) as lines,
    (select count(*)::int from order_timeline t where t.order_id = o.id and t.kind = 'placed') as notes,
    (select p.status from payments p where p.id = o.payment_id and p.order_id = o.id) as payment_status,
    (select count(*)::int from inventory_reservations r where r.order_id = o.id) as holds
  from orders o where o.cart_id = any(${`{${cartIds.join(',')}}`}::uuid[]) order by o.number`);

const inARow = (numbers: number[]) => numbers.every((n, i) => i === 0 || n === (numbers[i - 1] as number) + 1);

test('checkouts authorized while an order is being placed are placed after it, together: one transaction, numbers in a row, each order whole', async () => {
  const { variantId } = await shop.product({ stock: 11 });
  const [first, ...rest] = await cartsOf(11, variantId);
  const result = await checkoutBehindASlowOne(first!, rest);
  expect([result.first, ...result.rest].map((r) => r.status)).toEqual(Array(11).fill(201));
  // The first is placed alone, the other ten in one transaction: their orders carry its one time.
  // (On PGlite the requests take turns on its one connection, and groups seldom form.)
  const placed = await placedOf([first!.id, ...rest.map((c) => c.id)]);
  if (onServer) expect(new Set(placed.map((o) => o.created_at)).size).toBe(2);
  expect(placed).toHaveLength(11);
  expect(inARow(placed.map((o) => o.number))).toBe(true);
  expect(placed.every((o) => o.lines === 1 && o.notes === 1 && o.payment_status === 'authorized' && o.holds === 1)).toBe(true);
  // Each shopper was told their own order's number.
  const told = new Map([result.first, ...result.rest].map((r) => [r.body.cartId as string, r.body.number as number]));
  expect(placed.every((o) => told.get(o.cart_id) === o.number)).toBe(true);
  const events = await selectRows<{ n: number }>(app.database.db, sql`select count(*)::int as n from outbox o join orders x on x.id::text = o.aggregate_id where o.type = 'order.placed' and x.cart_id = any(${`{${placed.map((o) => o.cart_id).join(',')}}`}::uuid[])`);
  expect(events[0]?.n).toBe(11);
}, 60_000);

test('a group with an order that cannot be placed is placed one by one: the others are placed, numbers still in a row, the failed one leaves nothing', async () => {
  const { variantId } = await shop.product({ stock: 11 });
  const [first, ...rest] = await cartsOf(11, variantId);
  const doomed = rest[4]!;
  const fail = await whenCartCompletes(app, `raise exception 'this completion fails'`, doomed.id);
  let result;
  try {
    ({ result } = await counted(() => checkoutBehindASlowOne(first!, rest)));
  } finally {
    await fail();
  }
  const statusOf = new Map(rest.map((c, i) => [c.id, result.rest[i]!.status]));
  expect(result.first.status).toBe(201);
  expect(statusOf.get(doomed.id)).toBe(500);
  expect(rest.filter((c) => c !== doomed).every((c) => statusOf.get(c.id) === 201)).toBe(true);
  const placed = await placedOf([first!.id, ...rest.map((c) => c.id)]);
  expect(placed.map((o) => o.cart_id).sort()).toEqual([first!, ...rest].filter((c) => c !== doomed).map((c) => c.id).sort());
  // The group's transaction took its numbers back with everything else.
  expect(inARow(placed.map((o) => o.number))).toBe(true);
  // The failed completion left its checkout as it was, for the sweeper or the shopper to finish.
  expect((await shop.ok('GET', `/store/carts/${doomed.id}`, undefined, doomed.headers)).status).toBe('checking_out');
}, 60_000);

test('a webhook for a checkout whose request is still running in this process waits for its answer instead of placing the order itself', async () => {
  const { variantId } = await shop.product({ stock: 2 });
  const [first, second] = await cartsOf(2, variantId);
  const release = await whenCartCompletes(app, 'perform pg_sleep(0.5)', first!.id);
  try {
    const { result, commits } = await counted(async () => {
      const slow = shop.checkout(first!);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The second checkout waits behind the first to be placed; its webhook comes in meanwhile.
      const waiting = shop.checkout(second!);
      const ref = await settle(async () => Boolean(await refOf(second!.id))).then(() => refOf(second!.id));
      const webhook = await postWebhook(app, SECRET, 'payment.authorized', ref as string);
      return { statuses: [(await slow).status, (await waiting).status], webhook };
    });
    expect(result).toEqual({ statuses: [201, 201], webhook: 200 });
    // Two checkouts opened and two orders placed; none by the webhook, whose order would have
    // made the second request's placement a transaction more.
    expect(commits).toBe(4);
  } finally {
    await release();
  }
  expect((await placedOf([first!.id, second!.id])).map((o) => o.cart_id).sort()).toEqual([first!.id, second!.id].sort());
}, 30_000);

const refOf = async (cartId: string) => (await selectRows<{ provider_ref: string | null }>(app.database.db, sql`select provider_ref from payments where cart_id = ${cartId}`))[0]?.provider_ref ?? null;

/*
 * Checkouts opened together (orders/open.ts): checkouts asked for while one is opening open in
 * one transaction after it. The first below is held half a second as its payment is written (a
 * trigger), so the others queue behind it on any database.
 */

/** inTrigger() as the payment of cart `cartId` is inserted. */
const whenPaymentOpens = (statement: string, cartId: string) =>
  inTrigger(app, { table: 'payments', on: 'insert', when: `new.cart_id = '${cartId}'::uuid` }, statement);

type Checkout = { cart: { id: string; headers: Record<string, string> }; headers?: Record<string, string> };
const checkoutOf = (c: Checkout) => shop.checkout({ id: c.cart.id, headers: c.headers ?? c.cart.headers });

async function openingBehindASlowOne(first: Checkout, rest: Checkout[]): Promise<Reply[]> {
  const replies = await behindASlowOne((statement) => whenPaymentOpens(statement, first.cart.id), checkoutOf, first, rest);
  return [replies.first, ...replies.rest];
}

const paymentsOf = (cartIds: string[]) => selectRows<{ cart_id: string; status: string; amount: number; created_at: string }>(app.database.db, sql`
  select cart_id, status, amount::int as amount, created_at::text as created_at from payments where cart_id = any(${`{${cartIds.join(',')}}`}::uuid[])`);

test('checkouts asked for while one is opening open after it in one transaction, then pay and are placed, each with its own payment and hold', async () => {
  const { variantId } = await shop.product({ stock: 30, price: 1500 });
  const [first, ...rest] = await cartsOf(9, variantId);
  // Two of them want more than one unit: the group's one hold takes the sum.
  await shop.add(rest[0]!, variantId, 2);
  await shop.add(rest[1]!, variantId, 4);
  const replies = await openingBehindASlowOne({ cart: first! }, rest.map((cart) => ({ cart })));
  expect(replies.map((r) => r.status)).toEqual(Array(9).fill(201));
  const payments = await paymentsOf(rest.map((c) => c.id));
  expect(payments).toHaveLength(8);
  // One transaction opened the eight: their payments carry its one time.
  if (onServer) expect(new Set(payments.map((p) => p.created_at)).size).toBe(1);
  const amountOf = new Map(payments.map((p) => [p.cart_id, p.amount]));
  expect(rest.map((c) => amountOf.get(c.id))).toEqual([4500, 7500, 1500, 1500, 1500, 1500, 1500, 1500]);
  const placed = await placedOf([first!.id, ...rest.map((c) => c.id)]);
  expect(placed.every((o) => o.holds === 1)).toBe(true);
  // Held, not yet committed: this shop runs no background work (no consumers).
  expect(await shop.stock(variantId)).toMatchObject({ onHand: 30, reserved: 15, committed: 0, available: 15 });
}, 60_000);

test('in a group, a refusal is that checkout\'s alone: precise problems, carts left open with no payment or hold, the others placed', async () => {
  const { variantId } = await shop.product({ stock: 4 });
  const other = await shop.product({ stock: 10, price: 1000 });
  // Three want two units each of four: whichever comes last in the group finds none left.
  const wanting = await cartsOf(3, variantId);
  for (const cart of wanting) await shop.add(cart, variantId);
  const [stranger] = await cartsOf(1, variantId);
  const empty = await shop.cart();
  const c = await shop.ok('POST', '/store/carts', { currency: 'USD' });
  const noEmail = { id: c.id as string, headers: { 'x-cart-token': c.token as string } };
  await shop.add(noEmail, other.variantId);
  const code = `GONE${randomBytes(3).toString('hex').toUpperCase()}`;
  const promotion = await shop.ok('POST', '/admin/promotions', { title: 'Soon off', code, kind: 'fixed', value: 100, currency: 'USD' }, staff);
  const [coded, moved] = await cartsOf(2, other.variantId);
  await shop.ok('POST', `/store/carts/${coded!.id}/promotions`, { code }, coded!.headers);
  await shop.ok('PATCH', `/admin/promotions/${promotion.id}`, { active: false }, staff);
  // The price of `moved`'s line changes after it was added: that checkout opens on its own, at the new price.
  const product = await shop.ok('GET', `/admin/products/${other.productId}`, undefined, staff);
  await shop.ok('PATCH', `/admin/products/${other.productId}`, { variants: [{ id: other.variantId, sku: product.variants[0].sku, prices: [{ currency: 'USD', amount: 1200 }] }] }, staff);
  const [first] = await cartsOf(1, other.variantId);
  const [slow, ...replies] = await openingBehindASlowOne({ cart: first! }, [
    ...wanting.map((cart) => ({ cart })), { cart: stranger!, headers: { 'x-cart-token': 'ct_not-this-one' } },
    { cart: empty }, { cart: noEmail }, { cart: coded! }, { cart: moved! },
  ]);
  const [forbidden, cartEmpty, emailMissing, codeGone, okMoved] = replies.slice(3);
  expect([slow, okMoved].map((r) => r!.status)).toEqual([201, 201]);
  const outcomes = replies.slice(0, 3);
  expect(outcomes.map((r) => r.status).sort()).toEqual([201, 201, 409]);
  const outOfStock = outcomes.find((r) => r.status === 409)!;
  expectProblem(outOfStock, 409, 'out-of-stock');
  expect(outOfStock.body).toMatchObject({ variantId, available: 0, requested: 2 });
  expectProblem(forbidden!, 403, 'cart-forbidden');
  expectProblem(cartEmpty!, 422, 'cart-empty');
  expectProblem(emailMissing!, 422, 'email-required');
  expect(codeGone!.status).toBe(422);
  expect(codeGone!.body.code).toBe(code);
  expect((await shop.order(okMoved!.body.orderId)).subtotal).toBe(1200);
  const refused = [wanting[outcomes.indexOf(outOfStock)]!, stranger!, empty, noEmail, coded!];
  for (const cart of refused) expect((await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers)).status).toBe('open');
  expect(await paymentsOf(refused.map((cart) => cart.id))).toEqual([]);
  // Held, not yet committed: this shop runs no background work (no consumers).
  expect(await shop.stock(variantId)).toMatchObject({ onHand: 4, reserved: 4, committed: 0, available: 0 });
}, 60_000);

test('a group whose one hold fits no location is held one checkout at a time, each at a location it fits', async () => {
  const { variantId } = await shop.product({ stock: 2 });
  const code = `spare-${randomBytes(3).toString('hex')}`;
  await shop.ok('POST', '/admin/inventory/locations', { code, name: 'Spare room' }, staff);
  await shop.ok('POST', `/admin/inventory/${variantId}/adjustments`, { delta: 2, reason: 'received', location: code }, staff);
  // Two units each, two at each location: together four fit neither, one at a time each fits one.
  const [first, a, b] = await cartsOf(3, (await shop.product({ stock: 5 })).variantId);
  for (const cart of [a!, b!]) await shop.add(cart, variantId, 2);
  const replies = await openingBehindASlowOne({ cart: first! }, [{ cart: a! }, { cart: b! }]);
  expect(replies.map((r) => r.status)).toEqual([201, 201, 201]);
  const stock = await shop.stock(variantId);
  expect(stock.locations.map((l: { reserved: number }) => l.reserved)).toEqual([2, 2]);
}, 60_000);
