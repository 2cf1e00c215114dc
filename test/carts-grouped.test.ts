import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { selectRows } from '../src/platform/db/database.js';
import type { TestApp } from './support/test-app.js';
import { behindASlowOne, commitsDuring, expectProblem, inTrigger, startQuietShop, type Reply, type Shop } from './checkout-support.js';

/**
 * Lines added together (carts/add-lines.ts): additions asked for while one is being written go
 * in one transaction after it. The first addition below is held half a second in the database (a
 * trigger), so the others queue behind it on any database; the commits are counted on
 * PostgreSQL (DATABASE_URL), where nothing else shares the moment.
 */
const onServer = Boolean(process.env.DATABASE_URL);
let app: TestApp;
let shop: Shop;
let staff: Record<string, string>;

beforeAll(async () => {
  ({ app, shop, staff } = await startQuietShop('whsec_lines'));
}, 60_000);
afterAll(async () => app?.close());

type Cart = Awaited<ReturnType<Shop['cart']>>;

/** inTrigger() as a line of cart `cartId` is inserted. */
const whenLineInserted = (statement: string, cartId: string) =>
  inTrigger(app, { table: 'cart_items', on: 'insert', when: `new.cart_id = '${cartId}'::uuid` }, statement);
const counted = <T>(work: () => Promise<T>) => commitsDuring(app, work);

type Addition = { cart: Cart; variantId: string; quantity?: number; headers?: Record<string, string> };
const add = (a: Addition) => shop.call('POST', `/store/carts/${a.cart.id}/items`, { variantId: a.variantId, quantity: a.quantity ?? 1 }, a.headers ?? a.cart.headers);

/** The first addition is held in its insert half a second; the rest are asked for meanwhile. */
async function behindASlowAddition(first: Addition, rest: Addition[]): Promise<Reply[]> {
  const replies = await behindASlowOne((statement) => whenLineInserted(statement, first.cart.id), add, first, rest);
  return [replies.first, ...replies.rest];
}

const linesOf = (cartId: string) => selectRows<{ variant_id: string; quantity: number }>(app.database.db, sql`
  select variant_id, quantity from cart_items where cart_id = ${cartId} order by created_at, id`);
const updatedAt = async (cartId: string) => (await selectRows<{ at: string }>(app.database.db, sql`select updated_at::text as at from carts where id = ${cartId}`))[0]?.at;

test('additions asked for while one is being written go in one transaction after it, each shopper answered with their own cart', async () => {
  const { variantId } = await shop.product({ stock: 100, price: 1250 });
  const other = await shop.product({ stock: 100, price: 300 });
  const carts = await Promise.all(Array.from({ length: 9 }, () => shop.cart()));
  // The last three already hold a line: theirs is added to, or a new line goes after it.
  for (const cart of carts.slice(6)) await shop.add(cart, other.variantId, 2);
  const first = await shop.cart();
  const rest = carts.map((cart, i) => ({ cart, variantId: i === 8 ? other.variantId : variantId, quantity: 1 + (i % 3) }));
  const { result, commits } = await counted(() => behindASlowAddition({ cart: first, variantId }, rest));
  expect(result.map((r) => r.status)).toEqual(Array(10).fill(201));
  if (onServer) expect(commits).toBe(2);
  for (const [i, { cart, quantity }] of rest.entries()) {
    const view = result[i + 1]?.body;
    expect(view.id).toBe(cart.id);
    const expected = i === 8 ? [{ variantId: other.variantId, quantity: 2 + quantity }]
      : [...(i >= 6 ? [{ variantId: other.variantId, quantity: 2 }] : []), { variantId, quantity }];
    expect(view.items.map((l: { variantId: string; quantity: number }) => ({ variantId: l.variantId, quantity: l.quantity }))).toEqual(expected);
    expect(view.totals.subtotal).toBe(i === 8 ? (2 + quantity) * 300 : (i >= 6 ? 600 : 0) + quantity * 1250);
    expect((await linesOf(cart.id)).map((l) => ({ variantId: l.variant_id, quantity: l.quantity }))).toEqual(expected);
    // What the shopper was told is what a read of the cart says.
    expect((await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers)).totals).toEqual(view.totals);
  }
});

test('in a group, each cart gets its own codes and the automatic promotions, as a read of it alone shows them', async () => {
  // In SEK, so the automatic promotion touches no other test's carts.
  const { variantId } = await shop.product({ stock: 50, price: 2000, currency: 'SEK' });
  const more = await shop.product({ stock: 50, price: 500, currency: 'SEK' });
  const automatic = await shop.ok('POST', '/admin/promotions', { title: 'Ten off everything', kind: 'percentage', value: 1000, currency: 'SEK' }, staff);
  const codes = await Promise.all(['A', 'B'].map(async (k) => {
    const code = `GROUP${k}${randomBytes(3).toString('hex').toUpperCase()}`;
    await shop.ok('POST', '/admin/promotions', { title: `Code ${k}`, code, kind: 'fixed', value: k === 'A' ? 300 : 700, currency: 'SEK' }, staff);
    return code;
  }));
  const carts = await Promise.all(Array.from({ length: 4 }, () => shop.cart('SEK')));
  for (const [i, cart] of carts.entries()) {
    await shop.add(cart, variantId);
    if (i < 2) await shop.ok('POST', `/store/carts/${cart.id}/promotions`, { code: codes[i] }, cart.headers);
  }
  try {
    const result = await behindASlowAddition({ cart: carts[3]!, variantId: more.variantId }, carts.slice(0, 3).map((cart) => ({ cart, variantId: more.variantId })));
    expect(result.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    for (const [i, cart] of [carts[3]!, ...carts.slice(0, 3)].entries()) {
      const alone = await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers);
      expect(result[i]!.body).toEqual(alone);
    }
    expect(result[1]!.body.promotions.map((p: { code: string | null }) => p.code)).toEqual([null, codes[0]]);
    expect(result[2]!.body.totals).toMatchObject({ subtotal: 2500, discount: 250 + 700 });
    expect(result[3]!.body.promotions.map((p: { id: string }) => p.id)).toEqual([automatic.id]);
  } finally {
    await shop.ok('PATCH', `/admin/promotions/${automatic.id}`, { active: false }, staff);
  }
});

test('in a group, a refusal is that addition\'s alone: precise problems, nothing written for them, the others added', async () => {
  const { variantId } = await shop.product({ stock: 5 });
  const unpriced = await shop.product({ stock: 5, currency: 'EUR' });
  const [fine, tooMany, unknown, stranger, done, twice, noPrice] = await Promise.all(Array.from({ length: 7 }, () => shop.cart()));
  // A completed cart: checked out before the group.
  await shop.add(done!, variantId);
  expect((await shop.checkout(done!)).status).toBe(201);
  const before = { tooMany: await updatedAt(tooMany!.id), stranger: await updatedAt(stranger!.id), noPrice: await updatedAt(noPrice!.id) };
  const result = await behindASlowAddition({ cart: await shop.cart(), variantId }, [
    { cart: fine!, variantId },
    { cart: tooMany!, variantId, quantity: 6 },
    { cart: unknown!, variantId: '00000000-0000-4000-8000-000000000000' },
    { cart: stranger!, variantId, headers: { 'x-cart-token': 'ct_not-this-one' } },
    { cart: done!, variantId },
    { cart: twice!, variantId },
    { cart: twice!, variantId, quantity: 2 },
    { cart: noPrice!, variantId: unpriced.variantId },
  ]);
  const [slow, ok, outOfStock, noVariant, forbidden, notOpen, once, again, mismatch] = result as Reply[];
  expect([slow, ok, once, again].map((r) => r!.status)).toEqual([201, 201, 201, 201]);
  expectProblem(outOfStock!, 409, 'out-of-stock');
  expect(outOfStock!.body).toMatchObject({ available: 4, requested: 6 });
  expectProblem(noVariant!, 404, 'unknown-variant');
  expectProblem(forbidden!, 403, 'cart-forbidden');
  expectProblem(notOpen!, 409, 'cart-not-open');
  expectProblem(mismatch!, 422, 'currency-mismatch');
  // The same cart twice: one after the other, the line holds both.
  expect(await linesOf(twice!.id)).toEqual([{ variant_id: variantId, quantity: 3 }]);
  expect(await linesOf(fine!.id)).toEqual([{ variant_id: variantId, quantity: 1 }]);
  for (const cart of [tooMany!, unknown!, stranger!, noPrice!]) expect(await linesOf(cart.id)).toEqual([]);
  expect({ tooMany: await updatedAt(tooMany!.id), stranger: await updatedAt(stranger!.id), noPrice: await updatedAt(noPrice!.id) }).toEqual(before);
});

test('a group whose transaction fails is added one by one: only the failing cart\'s addition fails', async () => {
  const { variantId } = await shop.product({ stock: 50 });
  const carts = await Promise.all(Array.from({ length: 6 }, () => shop.cart()));
  const failing = carts[3]!;
  const fail = await whenLineInserted('raise exception \'this line cannot be written\'', failing.id);
  try {
    const { result, commits } = await counted(() => behindASlowAddition({ cart: carts[0]!, variantId }, carts.slice(1).map((cart) => ({ cart, variantId }))));
    expect(result.map((r) => r.status)).toEqual([201, 201, 201, 500, 201, 201]);
    // The slow one alone, then the group rolled back, then the four that could be added, one each.
    if (onServer) expect(commits).toBe(1 + 4);
  } finally {
    await fail();
  }
  expect(await linesOf(failing.id)).toEqual([]);
  for (const cart of carts.filter((c) => c !== failing)) expect(await linesOf(cart.id)).toEqual([{ variant_id: variantId, quantity: 1 }]);
});
