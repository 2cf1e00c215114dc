import { afterAll, beforeAll, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { selectRows } from '../src/platform/db/database.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createActors, type TestActors } from './support/actors.js';
import { CARDS, expectProblem, nextActionRef, orphanedThreeDSecureCheckout, shopClient, type Shop } from './checkout-support.js';

/** The "Bad input" list: each is a precise problem+json 4xx and leaves nothing half-written. */
let app: TestApp;
let actors: TestActors;
let shop: Shop;
beforeAll(async () => {
  app = await startTestApp({ env: { RESERVATION_TTL_SECONDS: '1' } });
  actors = await createActors(app);
  shop = shopClient(app, actors.staff.headers);
}, 60_000);
afterAll(async () => app?.close());

test('cart lines: unknown or unpublished variants, bad quantities, over stock or limit, wrong currency, someone else\'s cart', async () => {
  const { variantId } = await shop.product({ stock: 3 });
  const draft = await shop.product({ stock: 3, status: 'draft' });
  const euro = await shop.product({ stock: 3, currency: 'EUR' });
  const cart = await shop.cart();
  const add = (body: unknown, headers: Record<string, string> = cart.headers) => shop.call('POST', `/store/carts/${cart.id}/items`, body, headers);
  expectProblem(await add({ variantId: '0190a000-0000-7000-8000-000000000000', quantity: 1 }), 404, 'unknown-variant');
  expectProblem(await add({ variantId: draft.variantId, quantity: 1 }), 422, 'variant-unavailable');
  for (const quantity of [0, -1, 1.5]) expectProblem(await add({ variantId, quantity }), 422, 'validation-failed');
  expectProblem(await add({ variantId, quantity: 4 }), 409, 'out-of-stock');
  expectProblem(await add({ variantId, quantity: 101 }), 422, 'validation-failed');
  expectProblem(await add({ variantId: euro.variantId, quantity: 1 }), 422, 'currency-mismatch');
  expectProblem(await add({ variantId, quantity: 1 }, { 'x-cart-token': 'ct_guess' }), 403, 'cart-forbidden');
  expectProblem(await add({ variantId, quantity: 1 }, {}), 403, 'cart-forbidden');
  expectProblem(await add({ variantId, quantity: 1, price: 1 }), 422, 'validation-failed');
  const view = await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers);
  expect(view.items).toEqual([]);
  expect(await shop.stock(variantId)).toMatchObject({ reserved: 0, available: 3 });

  await shop.add(cart, variantId, 2);
  const item = (await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers)).items[0];
  expectProblem(await shop.call('PATCH', `/store/carts/${cart.id}/items/${item.id}`, { quantity: 5 }, cart.headers), 409, 'out-of-stock');
  expectProblem(await shop.call('PATCH', `/store/carts/${cart.id}/items/${item.id}`, { quantity: 0 }, cart.headers), 422, 'validation-failed');
  expect((await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers)).items[0].quantity).toBe(2);

  // A cart claimed by one customer is not another customer's, whatever token they hold.
  await shop.ok('POST', `/store/carts/${cart.id}/claim`, undefined, { ...cart.headers, ...actors.customer.headers });
  expectProblem(await shop.call('POST', `/store/carts/${cart.id}/claim`, undefined, { ...cart.headers, ...actors.otherCustomer.headers }), 403, 'cart-forbidden');
});

test('a cart holds at most 100 lines: the 101st variant is refused and nothing is added; adding to a line it has still works', async () => {
  const variants = [];
  for (let i = 0; i < 101; i++) variants.push((await shop.product({ stock: 5 })).variantId);
  const cart = await shop.cart();
  for (const variantId of variants.slice(0, 100)) await shop.add(cart, variantId);
  expectProblem(await shop.call('POST', `/store/carts/${cart.id}/items`, { variantId: variants[100], quantity: 1 }, cart.headers), 422, 'cart-full');
  const more = await shop.add(cart, variants[0]!, 2);
  expect(more.items).toHaveLength(100);
  expect(more.items[0]).toMatchObject({ variantId: variants[0], quantity: 3 });
  expect(more.totals.subtotal).toBe(102 * 1000);
  expect((await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers)).items).toEqual(more.items);
}, 60_000);

test('checkout: empty cart, no e-mail, a bad payment token, a price change, stock gone since the cart was filled', async () => {
  const { variantId } = await shop.product({ stock: 1, price: 500 });
  const empty = await shop.cart();
  expectProblem(await shop.checkout(empty), 422, 'cart-empty');
  const anonymous = await shop.ok('POST', '/store/carts', { currency: 'USD' });
  const anon = { id: anonymous.id as string, headers: { 'x-cart-token': anonymous.token as string } };
  await shop.add(anon, variantId);
  expectProblem(await shop.checkout(anon), 422, 'email-required');
  const forged = await shop.call('POST', `/store/carts/${anon.id}/checkout`, { paymentToken: 'tok_ok_visa_4242_x', email: 'a@b.co' }, anon.headers);
  expect(forged.status).toBe(201);

  const late = await shop.cart();
  const { variantId: other } = await shop.product({ stock: 1 });
  await shop.add(late, other);
  const rival = await shop.cart();
  await shop.add(rival, other);
  expect((await shop.checkout(rival)).status).toBe(201);
  expectProblem(await shop.checkout(late), 409, 'out-of-stock');
  expect((await shop.ok('GET', `/store/carts/${late.id}`, undefined, late.headers)).status).toBe('open');
  const bad = await shop.call('POST', `/store/carts/${late.id}/checkout`, { paymentToken: 'tok_nonsense' }, late.headers);
  expect(bad.status).toBeGreaterThanOrEqual(400);
  expect(bad.status).toBeLessThan(500);
});

test('an abandoned 3-D Secure checkout gives its stock back when the hold expires', async () => {
  const { variantId } = await shop.product({ stock: 1 });
  const cart = await shop.cart();
  await shop.add(cart, variantId);
  const r = await shop.checkout(cart, CARDS.threeds);
  expect(r.status).toBe(202);
  expect(await shop.stock(variantId)).toMatchObject({ reserved: 1, available: 0 });
  const deadline = Date.now() + 10_000;
  while ((await shop.stock(variantId)).reserved !== 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
  expect(await shop.stock(variantId)).toMatchObject({ reserved: 0, available: 1 });
  expect((await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers)).status).toBe('open');
  // The processor page now answers for a voided payment; completing is a clear 4xx, no order.
  const ref = nextActionRef(r);
  await shop.ok('POST', `/payments/test/3ds/${ref}`, { succeed: true });
  const late = await shop.call('POST', `/store/carts/${cart.id}/complete`, undefined, cart.headers);
  expect(late.status).toBeGreaterThanOrEqual(400);
  expect(late.status).toBeLessThan(500);
}, 20_000);

test('an authorization whose record a crash lost, still waiting for 3-D Secure when its hold runs out, is found at the processor and voided', async () => {
  const { variantId, cart, ref } = await orphanedThreeDSecureCheckout(app, shop);
  // The hold (one second here) runs out; the sweeper asks the processor, which still waits for the shopper: void, stock back.
  const deadline = Date.now() + 10_000;
  while ((await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers)).status !== 'open' && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
  expect((await shop.ok('POST', `/payments/test/3ds/${ref}`, { succeed: true })).status).toBe('voided');
  expect(await shop.stock(variantId)).toMatchObject({ reserved: 0, available: 1 });
  const [payment] = await selectRows<{ provider_ref: string; status: string }>(app.database.db, sql`select provider_ref, status from payments where provider_ref = ${ref}`);
  expect(payment).toEqual({ provider_ref: ref, status: 'voided' });
});

test('a hold that runs out before its orphaned authorization can be told from one still under way is kept until it can', async () => {
  // The crash was a moment ago: the processor might still be answering, so it is not asked yet.
  const { variantId, cart, ref } = await orphanedThreeDSecureCheckout(app, shop, 0);
  await new Promise((res) => setTimeout(res, 2000)); // the one-second hold ran out; the sweeper looked several times
  expect(await shop.stock(variantId)).toMatchObject({ reserved: 1, available: 0 });
  expect((await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers)).status).toBe('checking_out');
  // Older than the processor's window it counts as orphaned: found at the processor, still waiting for the shopper, voided; stock back.
  await app.database.db.execute(sql`update payments set created_at = now() - interval '3 minutes' where cart_id = ${cart.id}`);
  const deadline = Date.now() + 10_000;
  while ((await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers)).status !== 'open' && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
  expect((await shop.ok('POST', `/payments/test/3ds/${ref}`, { succeed: true })).status).toBe('voided');
  expect(await shop.stock(variantId)).toMatchObject({ reserved: 0, available: 1 });
});

test('inventory: adjustments need a known variant and a reason, and cannot go below what is held', async () => {
  const { variantId } = await shop.product({ stock: 2 });
  const staff = actors.staff.headers;
  expectProblem(await shop.call('POST', `/admin/inventory/${variantId}/adjustments`, { delta: 1, reason: 'because' }, staff), 422, 'validation-failed');
  expectProblem(await shop.call('POST', '/admin/inventory/0190a000-0000-7000-8000-000000000000/adjustments', { delta: 1, reason: 'received' }, staff), 404, 'unknown-variant');
  const cart = await shop.cart();
  await shop.add(cart, variantId, 2);
  expect((await shop.checkout(cart)).status).toBe(201);
  expectProblem(await shop.call('POST', `/admin/inventory/${variantId}/adjustments`, { delta: -1, reason: 'damaged' }, staff), 409, 'stock-held');
  expect((await shop.call('POST', `/admin/inventory/${variantId}/adjustments`, { delta: 1, reason: 'received' }, actors.customer.headers)).status).toBe(403);
  const history = await shop.ok('GET', `/admin/inventory/${variantId}/adjustments`, undefined, staff);
  expect(history.items).toHaveLength(1);
});
