import { afterAll, beforeAll, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { selectRows } from '../src/platform/db/database.js';
import type { TestApp } from './support/test-app.js';
import { CARDS, nextActionRef, postWebhook, startQuietShop, whenCartCompletes, type Shop } from './checkout-support.js';

const SECRET = 'whsec_payment_webhooks';
let app: TestApp;
let shop: Shop;

beforeAll(async () => {
  ({ app, shop } = await startQuietShop(SECRET));
}, 60_000);
afterAll(async () => app?.close());

test('a webhook that comes in while the shopper\'s return is placing the order waits for it and takes its order, with no transaction of its own', async () => {
  const { variantId } = await shop.product({ stock: 2 });
  const cart = await shop.cart();
  await shop.add(cart, variantId);
  const ref = nextActionRef(await shop.checkout(cart, CARDS.threeds));
  await shop.ok('POST', `/payments/test/3ds/${ref}`, { succeed: true });
  // The completion holds the cart's row for half a second after it takes it, as a slow one would.
  const release = await whenCartCompletes(app, 'perform pg_sleep(0.5)');
  let commits = 0;
  const stop = app.database.onCommit(() => {
    commits++;
  });
  try {
    const returning = shop.call('POST', `/store/carts/${cart.id}/complete`, undefined, cart.headers);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const [returned, webhook] = await Promise.all([returning, postWebhook(app, SECRET, 'payment.authorized', ref)]);
    expect(returned.status, JSON.stringify(returned.body)).toBe(201);
    expect(webhook).toBe(200);
  } finally {
    stop();
    await release();
  }
  // The shopper's completion only: the webhook read, waited, and found the order placed.
  expect(commits).toBe(1);
  expect(await selectRows<{ n: number }>(app.database.db, sql`select count(*)::int as n from orders where cart_id = ${cart.id}`)).toEqual([{ n: 1 }]);
}, 30_000);

test('a webhook about an order this process has just placed is answered from what the process knows, without the database', async () => {
  const { variantId } = await shop.product({ stock: 2 });
  const cart = await shop.cart();
  await shop.add(cart, variantId);
  const placed = await shop.checkout(cart);
  expect(placed.status).toBe(201);
  const [{ provider_ref: ref } = { provider_ref: '' }] = await selectRows<{ provider_ref: string }>(app.database.db, sql`select provider_ref from payments where cart_id = ${cart.id}`);
  // The payments are locked while the webhook comes in: a webhook that read them would wait,
  // here until the time is up.
  const answer = await app.database.transaction(async (tx) => {
    await tx.execute(sql`lock table payments in access exclusive mode`);
    return Promise.race([postWebhook(app, SECRET, 'payment.captured', ref), new Promise((resolve) => setTimeout(() => resolve('waited for the database'), 2000))]);
  });
  expect(answer).toBe(200);
}, 30_000);
