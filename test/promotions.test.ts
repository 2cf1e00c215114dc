import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { selectRows } from '../src/platform/db/database.js';
import type { TestApp } from './support/test-app.js';
import { createActor } from './support/actors.js';
import { CARDS, expectProblem, settle, startShop, type Shop } from './checkout-support.js';

let app: TestApp;
let shop: Shop;
let staff: Record<string, string>;

beforeAll(async () => {
  ({ app, staff, shop } = await startShop());
}, 60_000);
afterAll(async () => app?.close());

const code = (prefix = 'SAVE') => `${prefix}${randomBytes(3).toString('hex').toUpperCase()}`;
const promo = (body: Record<string, unknown>) => shop.ok('POST', '/admin/promotions', { title: 'A promotion', ...body }, staff);
const apply = (cart: { id: string; headers: Record<string, string> }, c: string) => shop.call('POST', `/store/carts/${cart.id}/promotions`, { code: c }, cart.headers);

describe('admin CRUD', () => {
  test('create, read, change, list, delete; codes are upper-cased and unique', async () => {
    const c = code();
    const made = await promo({ code: c.toLowerCase(), kind: 'percentage', value: 1500, usageLimit: 10 });
    expect(made).toMatchObject({ code: c, kind: 'percentage', value: 1500, used: 0, usageLimit: 10, active: true });
    expect(await shop.ok('GET', `/admin/promotions/${made.id}`, undefined, staff)).toMatchObject({ id: made.id });
    expect(await shop.ok('PATCH', `/admin/promotions/${made.id}`, { value: 2000, active: false }, staff)).toMatchObject({ value: 2000, active: false });
    const list = await shop.ok('GET', '/admin/promotions?limit=200', undefined, staff);
    expect(list.items.map((p: { id: string }) => p.id)).toContain(made.id);
    expectProblem(await shop.call('POST', '/admin/promotions', { title: 'dup', code: c, kind: 'percentage', value: 100 }, staff), 409, 'promotion-code-taken');
    expect((await shop.call('DELETE', `/admin/promotions/${made.id}`, undefined, staff)).status).toBe(204);
    expectProblem(await shop.call('GET', `/admin/promotions/${made.id}`, undefined, staff), 404, 'promotion-not-found');
  });

  test('bad definitions are precise 422s and create nothing', async () => {
    const bad = [
      { kind: 'percentage', value: 0 }, { kind: 'percentage', value: 10_001 }, { kind: 'fixed', value: 500 }, { kind: 'bxgy', value: 10_000 },
      { kind: 'percentage', value: 100, minSubtotal: 1000 }, { kind: 'percentage', value: 100, startsAt: '2030-01-02T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' },
    ];
    const before = (await shop.ok('GET', '/admin/promotions?limit=200', undefined, staff)).items.length;
    for (const body of bad) expectProblem(await shop.call('POST', '/admin/promotions', { title: 'bad', code: code(), ...body }, staff), 422, 'invalid-promotion');
    expectProblem(await shop.call('POST', '/admin/promotions', { title: 'bad', kind: 'weird' }, staff), 422, 'validation-failed');
    expect((await shop.ok('GET', '/admin/promotions?limit=200', undefined, staff)).items.length).toBe(before);
  });

  test('shoppers and customers cannot manage promotions', async () => {
    const customer = await createActor(app, 'customer');
    expect((await shop.call('GET', '/admin/promotions', undefined, customer.headers)).status).toBe(403);
    expect((await shop.call('GET', '/admin/promotions')).status).toBe(401);
  });
});

describe('applying codes to a cart', () => {
  test('a percentage code shows on the cart and is taken off the order', async () => {
    const { variantId } = await shop.product({ stock: 10, price: 2000 });
    const c = code();
    const p = await promo({ code: c, kind: 'percentage', value: 2500 });
    const cart = await shop.cart();
    await shop.add(cart, variantId, 2);
    const view = (await apply(cart, c.toLowerCase())).body;
    expect(view.promotions).toEqual([expect.objectContaining({ id: p.id, code: c, amount: 1000 })]);
    expect(view.totals).toMatchObject({ subtotal: 4000, discount: 1000 });
    expect(view.items[0]).toMatchObject({ discount: 1000, total: 3000 });
    const r = await shop.checkout(cart);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const order = await shop.order(r.body.orderId);
    expect(order).toMatchObject({ subtotal: 4000, discount: 1000 });
    expect((await shop.ok('GET', `/admin/promotions/${p.id}`, undefined, staff)).used).toBe(1);
    const redemptions = await shop.ok('GET', `/admin/promotions/${p.id}/redemptions`, undefined, staff);
    expect(redemptions.items).toEqual([expect.objectContaining({ orderId: r.body.orderId, amount: 1000, status: 'redeemed' })]);
    expectProblem(await shop.call('DELETE', `/admin/promotions/${p.id}`, undefined, staff), 409, 'promotion-in-use');
  });

  test('every reason a code cannot apply is its own problem, and the cart keeps no code', async () => {
    const { variantId } = await shop.product({ stock: 10, price: 1000 });
    const other = await shop.product({ stock: 10, price: 1000 });
    const cart = await shop.cart();
    await shop.add(cart, variantId, 1);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ kind: 'percentage', value: 100, active: false }, 422, 'promotion-inactive'],
      [{ kind: 'percentage', value: 100, endsAt: '2020-01-01T00:00:00Z' }, 422, 'promotion-expired'],
      [{ kind: 'percentage', value: 100, startsAt: '2999-01-01T00:00:00Z' }, 422, 'promotion-not-started'],
      [{ kind: 'fixed', value: 500, currency: 'EUR' }, 422, 'promotion-currency-mismatch'],
      [{ kind: 'percentage', value: 100, currency: 'USD', minSubtotal: 5000 }, 422, 'promotion-minimum-not-met'],
      [{ kind: 'percentage', value: 100, targets: { productIds: [other.productId] } }, 422, 'promotion-not-applicable'],
    ];
    for (const [body, status, slug] of cases) {
      const c = code();
      await promo({ code: c, ...body });
      expectProblem(await apply(cart, c), status, slug);
    }
    expectProblem(await apply(cart, 'NOSUCHCODE'), 404, 'promotion-not-found');
    expectProblem(await shop.call('DELETE', `/store/carts/${cart.id}/promotions/NOSUCHCODE`, undefined, cart.headers), 404, 'promotion-not-on-cart');
    expectProblem(await apply({ ...cart, headers: {} }, 'ANY'), 403, 'cart-forbidden');
    expect((await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers)).promotions).toEqual([]);
  });

  test('a used-up code is refused, and removing a code restores the price', async () => {
    const { variantId } = await shop.product({ stock: 10, price: 1000 });
    const c = code();
    await promo({ code: c, kind: 'fixed', value: 300, currency: 'USD', usageLimit: 1 });
    const first = await shop.cart();
    await shop.add(first, variantId);
    expect((await apply(first, c)).body.totals.total).toBe(700);
    expect((await shop.checkout(first)).status).toBe(201);
    const second = await shop.cart();
    await shop.add(second, variantId);
    expectProblem(await apply(second, c), 409, 'promotion-exhausted');
    const third = await shop.cart();
    await shop.add(third, variantId);
    const other = code();
    await promo({ code: other, kind: 'fixed', value: 300, currency: 'USD' });
    expect((await apply(third, other)).body.totals.total).toBe(700);
    const removed = await shop.ok('DELETE', `/store/carts/${third.id}/promotions/${other}`, undefined, third.headers);
    expect(removed.totals).toMatchObject({ discount: 0, total: 1000 });
  });

  test('per-customer limit: the same e-mail cannot use a once-per-customer code twice', async () => {
    const { variantId } = await shop.product({ stock: 10, price: 1000 });
    const c = code('ONCE');
    await promo({ code: c, kind: 'percentage', value: 1000, perCustomerLimit: 1 });
    const email = `once-${randomBytes(3).toString('hex')}@example.com`;
    const a = await shop.cart('USD', email);
    await shop.add(a, variantId);
    await apply(a, c);
    const b = await shop.cart('USD', email.toUpperCase());
    await shop.add(b, variantId);
    await apply(b, c);
    expect((await shop.checkout(a)).status).toBe(201);
    // b applied the code before a's order took the use: checkout re-checks it before any money moves.
    expectProblem(await shop.checkout(b), 409, 'promotion-customer-limit');
    const again = await shop.cart('USD', email);
    await shop.add(again, variantId);
    expectProblem(await apply(again, c), 409, 'promotion-customer-limit');
    const someoneElse = await shop.cart('USD', `else-${randomBytes(3).toString('hex')}@example.com`);
    await shop.add(someoneElse, variantId);
    expect((await apply(someoneElse, c)).status).toBe(200);
  });

  test('automatic promotions: buy two get one free on a category, free shipping over a minimum', async () => {
    const category = await shop.ok('POST', '/admin/categories', { name: `Socks ${randomBytes(3).toString('hex')}` }, staff);
    const n = randomBytes(4).toString('hex');
    const socks = await shop.ok('POST', '/admin/products', {
      title: `Socks ${n}`, handle: `socks-${n}`, status: 'published', categoryIds: [category.id],
      variants: [{ sku: `SOCK-${n}`, prices: [{ currency: 'SEK', amount: 500 }] }],
    }, staff);
    const { variantId: hat } = await shop.product({ stock: 10, price: 3000, currency: 'SEK' });
    await shop.ok('POST', `/admin/inventory/${socks.variants[0].id}/adjustments`, { delta: 20, reason: 'received' }, staff);
    const bxgy = await promo({ kind: 'bxgy', value: 10_000, buyQuantity: 2, getQuantity: 1, targets: { categoryIds: [category.id] }, currency: 'SEK' });
    const ship = await promo({ kind: 'free_shipping', currency: 'SEK', minSubtotal: 4000 });
    const cart = await shop.cart('SEK');
    await shop.add(cart, socks.variants[0].id, 3);
    await shop.add(cart, hat, 1);
    const view = await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers);
    expect(view.items.map((i: { discount: number }) => i.discount)).toEqual([500, 0]);
    expect(view.promotions.map((p: { id: string }) => p.id)).toEqual([bxgy.id, ship.id]);
    expect(view.totals).toMatchObject({ subtotal: 4500, discount: 500, shipping: 0 });
    const r = await shop.checkout(cart);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(await shop.order(r.body.orderId)).toMatchObject({ subtotal: 4500, discount: 500, shipping: 0 });
  });

  test('cancelling an order gives its promotion use back', async () => {
    const { variantId } = await shop.product({ stock: 10, price: 1000 });
    const c = code('LAST');
    const p = await promo({ code: c, kind: 'percentage', value: 1000, usageLimit: 1 });
    const cart = await shop.cart();
    await shop.add(cart, variantId);
    await apply(cart, c);
    const r = await shop.checkout(cart);
    expect(r.status).toBe(201);
    const cancel = await shop.call('POST', `/admin/orders/${r.body.orderId}/cancel`, { reason: 'customer asked' }, staff);
    expect(cancel.status, JSON.stringify(cancel.body)).toBeLessThan(300);
    await settle(async () => (await shop.ok('GET', `/admin/promotions/${p.id}`, undefined, staff)).used === 0);
    const redemptions = await shop.ok('GET', `/admin/promotions/${p.id}/redemptions`, undefined, staff);
    expect(redemptions.items).toEqual([expect.objectContaining({ status: 'released' })]);
    const next = await shop.cart();
    await shop.add(next, variantId);
    expect((await apply(next, c)).status).toBe(200);
  });
});

/** A cart of one unit with a 10 % code applied. */
async function cartWithCode() {
  const { variantId } = await shop.product({ stock: 10, price: 1000 });
  const c = code();
  const p = await promo({ code: c, kind: 'percentage', value: 1000 });
  const cart = await shop.cart();
  await shop.add(cart, variantId);
  await apply(cart, c);
  return { variantId, c, p, cart };
}

test('checkout refuses a code that stopped applying, before any payment', async () => {
  const { c, p, cart } = await cartWithCode();
  await shop.ok('PATCH', `/admin/promotions/${p.id}`, { active: false }, staff);
  const view = await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers);
  expect(view.rejectedPromotions).toEqual([expect.objectContaining({ code: c, type: '/problems/promotion-inactive' })]);
  expectProblem(await shop.checkout(cart, CARDS.ok), 422, 'promotion-inactive');
  expect((await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers)).status).toBe('open');
});

test('a code switched off while its checkout is under way: no order, the payment voided, the stock and the cart as they were', async () => {
  const { variantId, p, cart } = await cartWithCode();
  // Staff switch the code off between the checkout's opening (priced with it) and the order's
  // placing: in the database, at the moment the processor's answer is recorded.
  const db = app.database.db;
  await db.execute(sql.raw(`create function switch_off_promotion() returns trigger language plpgsql as $$
    begin update promotions set active = false where id = '${p.id}'; return new; end $$`));
  await db.execute(sql.raw(`create trigger switch_off_promotion after update on payments for each row
    when (old.provider_ref is null and new.provider_ref is not null and new.cart_id = '${cart.id}') execute function switch_off_promotion()`));
  try {
    expectProblem(await shop.checkout(cart, CARDS.ok), 409, 'promotion-inactive');
  } finally {
    await db.execute(sql.raw('drop trigger switch_off_promotion on payments'));
    await db.execute(sql.raw('drop function switch_off_promotion()'));
  }
  expect((await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers)).status).toBe('open');
  const [payment] = await selectRows<{ status: string }>(db, sql`select status from payments where cart_id = ${cart.id}`);
  expect(payment?.status).toBe('voided');
  expect(await shop.ok('GET', `/admin/inventory/${variantId}`, undefined, staff)).toMatchObject({ reserved: 0, available: 10 });
  expect(await shop.ok('GET', `/admin/promotions/${p.id}`, undefined, staff)).toMatchObject({ used: 0, active: false });
});

test('the demo seeder makes its codes once, and WELCOME10 works on a cart', async () => {
  const { promotionsSeeder } = await import('../src/modules/promotions/seed.js');
  const ctx = { database: app.database } as never;
  await promotionsSeeder.run(ctx);
  await promotionsSeeder.run(ctx);
  const codes = (await shop.ok('GET', '/admin/promotions?limit=200', undefined, staff)).items.map((p: { code: string | null }) => p.code);
  expect(codes.filter((c: string | null) => c === 'WELCOME10')).toHaveLength(1);
  const { variantId } = await shop.product({ stock: 5, price: 1000 });
  const cart = await shop.cart();
  await shop.add(cart, variantId);
  expect((await apply(cart, 'welcome10')).body.totals.discount).toBe(100);
});

test('merging carts on sign-in keeps the codes of the cart folded in', async () => {
  const customer = await createActor(app, 'customer');
  const { variantId } = await shop.product({ stock: 10, price: 1000 });
  const c = code('MERGE');
  await promo({ code: c, kind: 'percentage', value: 1000 });
  const earlier = await shop.cart();
  await shop.add(earlier, variantId);
  await apply(earlier, c);
  await shop.ok('POST', `/store/carts/${earlier.id}/claim`, undefined, { ...earlier.headers, ...customer.headers });
  const now = await shop.cart();
  await shop.add(now, variantId);
  const merged = await shop.ok('POST', `/store/carts/${now.id}/claim`, undefined, { ...now.headers, ...customer.headers });
  expect(merged.items[0].quantity).toBe(2);
  expect(merged.promotions.map((p: { code: string }) => p.code)).toEqual([c]);
  expect(merged.totals).toMatchObject({ subtotal: 2000, discount: 200 });
});
