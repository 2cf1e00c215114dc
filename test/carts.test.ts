import { afterAll, beforeAll, expect, test } from 'vitest';
import type { TestApp } from './support/test-app.js';
import { expectProblem, startShop, type Shop } from './checkout-support.js';

let app: TestApp;
let shop: Shop;

// No background work: every commit counted below is the request's own.
beforeAll(async () => {
  ({ app, shop } = await startShop({ background: false }));
}, 60_000);
afterAll(async () => app?.close());

test('reading a cart opens no transaction (under READ COMMITTED one buys no snapshot), and still asks for its token', async () => {
  const { variantId } = await shop.product({ stock: 5, price: 1200 });
  const cart = await shop.cart();
  await shop.add(cart, variantId, 2);
  let commits = 0;
  const stop = app.database.onCommit(() => {
    commits++;
  });
  try {
    const view = await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers);
    expect(view).toMatchObject({ id: cart.id, status: 'open', items: [expect.objectContaining({ variantId, quantity: 2 })], totals: expect.objectContaining({ subtotal: 2400 }) });
    expectProblem(await shop.call('GET', `/store/carts/${cart.id}`, undefined, { 'x-cart-token': 'ct_not-this-one' }), 403, 'cart-forbidden');
    expectProblem(await shop.call('GET', '/store/carts/01a24ce6-2c7f-735f-8c90-228d01212bd0', undefined, cart.headers), 404, 'cart-not-found');
  } finally {
    stop();
  }
  expect(commits).toBe(0);
});

test('carts started at the same moment (one insert for them) each get their own id, token, currency and e-mail', async () => {
  const asked = Array.from({ length: 12 }, (_, i) => ({ currency: ['USD', 'EUR', 'SEK'][i % 3] as string, ...(i % 2 ? { email: `buyer${i}@example.com` } : {}) }));
  const made = await Promise.all(asked.map((body) => shop.call('POST', '/store/carts', body)));
  expect(made.map((r) => r.status)).toEqual(Array(12).fill(201));
  expect(new Set(made.map((r) => r.body.id)).size).toBe(12);
  for (const [i, r] of made.entries()) {
    expect(r.body).toMatchObject({ currency: asked[i]!.currency, email: asked[i]!.email ?? null, status: 'open', items: [] });
    expect(r.headers['x-cart-token']).toBe(r.body.token);
    const own = await shop.ok('GET', `/store/carts/${r.body.id}`, undefined, { 'x-cart-token': r.body.token });
    expect(own).toMatchObject({ id: r.body.id, currency: asked[i]!.currency, email: asked[i]!.email ?? null });
    // Another cart's token does not open it.
    const other = made[(i + 1) % 12]!.body.token as string;
    expectProblem(await shop.call('GET', `/store/carts/${r.body.id}`, undefined, { 'x-cart-token': other }), 403, 'cart-forbidden');
  }
});
