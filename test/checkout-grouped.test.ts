import { afterAll, beforeAll, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { selectRows } from '../src/platform/db/database.js';
import type { TestApp } from './support/test-app.js';
import { postWebhook, settle, startQuietShop, whenCartCompletes, type Reply, type Shop } from './checkout-support.js';

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

beforeAll(async () => {
  ({ app, shop } = await startQuietShop(SECRET));
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

async function counted<T>(work: () => Promise<T>): Promise<{ result: T; commits: number }> {
  let commits = 0;
  const stop = app.database.onCommit(() => {
    commits++;
  });
  try {
    return { result: await work(), commits };
  } finally {
    stop();
  }
}

/**
 * The first cart's checkout is placed alone and held there half a second (a trigger), so the
 * others, checked out meanwhile, are authorized while it runs: they are placed after it, together.
 */
async function checkoutBehindASlowOne(first: { id: string; headers: Record<string, string> }, rest: { id: string; headers: Record<string, string> }[]): Promise<{ first: Reply; rest: Reply[] }> {
  const release = await whenCartCompletes(app, 'perform pg_sleep(0.5)', first.id);
  try {
    const slow = shop.checkout(first);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const others = await Promise.all(rest.map((c) => shop.checkout(c)));
    return { first: await slow, rest: others };
  } finally {
    await release();
  }
}

const placedOf = async (cartIds: string[]) => selectRows<{ cart_id: string; number: number; lines: number; notes: number; payment_status: string; holds: number }>(app.database.db, sql`
  select o.cart_id, o.number::int as number,
    (select count(*)::int from order_lines l where l.order_id = o.id) as lines,
    (select count(*)::int from order_timeline t where t.order_id = o.id and t.kind = 'placed') as notes,
    (select p.status from payments p where p.id = o.payment_id and p.order_id = o.id) as payment_status,
    (select count(*)::int from inventory_reservations r where r.order_id = o.id) as holds
  from orders o where o.cart_id = any(${`{${cartIds.join(',')}}`}::uuid[]) order by o.number`);

const inARow = (numbers: number[]) => numbers.every((n, i) => i === 0 || n === (numbers[i - 1] as number) + 1);

test('checkouts authorized while an order is being placed are placed after it, together: one transaction, numbers in a row, each order whole', async () => {
  const { variantId } = await shop.product({ stock: 11 });
  const [first, ...rest] = await cartsOf(11, variantId);
  const { result, commits } = await counted(() => checkoutBehindASlowOne(first!, rest));
  expect([result.first, ...result.rest].map((r) => r.status)).toEqual(Array(11).fill(201));
  // Each checkout opens in a transaction of its own; the first is placed alone, the other ten in one.
  // (On PGlite the requests take turns on its one connection, and groups seldom form.)
  if (onServer) expect(commits).toBe(11 + 1 + 1);
  const placed = await placedOf([first!.id, ...rest.map((c) => c.id)]);
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
