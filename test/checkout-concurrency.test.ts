import { afterAll, beforeAll, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { selectRows } from '../src/platform/db/database.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createActor } from './support/actors.js';
import { CARDS, nextActionRef, postWebhook, settle, shopClient, type Shop } from './checkout-support.js';

/**
 * The issue's concurrency cases, through HTTP. On PostgreSQL (DATABASE_URL) the numbers are the
 * issue's; on embedded PGlite (one connection, everything serialized) they are smaller.
 */
const onServer = Boolean(process.env.DATABASE_URL);
const BUYERS = onServer ? 500 : 40;
const UNITS = onServer ? 50 : 5;
const RACES = onServer ? 100 : 15;
const SECRET = 'whsec_race';

let app: TestApp;
let shop: Shop;

/** Carts with one unit of the variant each, filled 25 at a time. */
async function fill(n: number, variantId: string) {
  const carts = [];
  for (let i = 0; i < n; i += 25) {
    carts.push(...(await Promise.all(Array.from({ length: Math.min(25, n - i) }, async () => {
      const cart = await shop.cart();
      await shop.add(cart, variantId);
      return cart;
    }))));
  }
  return carts;
}
beforeAll(async () => {
  app = await startTestApp({ env: { TEST_PAYMENTS_WEBHOOK_SECRET: SECRET, TEST_PAYMENTS_WEBHOOK_DELAY_MS: '20', TEST_PAYMENTS_WEBHOOK_DUPLICATE_PERCENT: '100', DATABASE_POOL_SIZE: '20' } });
  shop = shopClient(app, (await createActor(app, 'staff')).headers);
}, 60_000);
afterAll(async () => app?.close());

const count = async (query: ReturnType<typeof sql>) => Number((await selectRows<{ n: number }>(app.database.db, query))[0]?.n ?? 0);

test(`${BUYERS} concurrent checkouts for ${UNITS} units sell exactly ${UNITS}`, async () => {
  const { variantId } = await shop.product({ stock: UNITS });
  const carts = await fill(BUYERS, variantId);
  const keys = carts.map((_, i) => `sale-${i}-${variantId}`);
  const results = await Promise.all(carts.map((c, i) => shop.checkout(c, undefined, keys[i])));
  const statuses = results.map((r) => r.status);
  expect(statuses.filter((s) => s === 201)).toHaveLength(UNITS);
  expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
  expect(results.filter((r) => r.status === 409).every((r) => r.body.type === '/problems/out-of-stock')).toBe(true);
  await settle(async () => (await shop.stock(variantId)).committed === UNITS);
  expect(await shop.stock(variantId)).toMatchObject({ onHand: UNITS, committed: UNITS, reserved: 0, available: 0 });
  expect(new Set(results.filter((r) => r.status === 201).map((r) => r.body.number)).size).toBe(UNITS);
  // Each refused buyer's key was given back, so a retry with it runs anew; each sold one keeps its answer.
  const keptKeys = await count(sql`select count(*)::int as n from idempotency_keys where key like ${`sale-%-${variantId}`}`);
  expect(keptKeys).toBe(UNITS);
}, 120_000);

test('two variants bought together from both ends cannot oversell or deadlock', async () => {
  const a = await shop.product({ stock: 5 });
  const b = await shop.product({ stock: 5 });
  const carts = [];
  for (let i = 0; i < 20; i++) {
    const cart = await shop.cart();
    // Half the carts list the variants the other way round: the fixed lock order is what keeps them apart.
    for (const v of i % 2 ? [a, b] : [b, a]) await shop.add(cart, v.variantId, 1);
    carts.push(cart);
  }
  const results = await Promise.all(carts.map((c) => shop.checkout(c)));
  expect(results.filter((r) => r.status === 201)).toHaveLength(5);
  expect(results.every((r) => r.status === 201 || r.body.type === '/problems/out-of-stock')).toBe(true);
  for (const v of [a, b]) {
    await settle(async () => (await shop.stock(v.variantId)).committed === 5);
    expect(await shop.stock(v.variantId)).toMatchObject({ onHand: 5, committed: 5, reserved: 0, available: 0 });
  }
}, 60_000);

test(`webhook and client completion racing ${RACES} times: one order and one capture each time`, async () => {
  const { variantId } = await shop.product({ stock: RACES });
  const carts = await fill(RACES, variantId);
  await Promise.all(carts.map(async (cart) => {
    const r = await shop.checkout(cart, CARDS.threeds);
    expect(r.status).toBe(202);
    const ref = nextActionRef(r);
    // The processor's page, its (doubled) webhook, our own replays of it and the shopper's return, all at once.
    const answers = await Promise.all([
      shop.ok('POST', `/payments/test/3ds/${ref}`, { succeed: true }).then(() => 200),
      shop.call('POST', `/store/carts/${cart.id}/complete`, undefined, cart.headers).then((x) => x.status),
      shop.call('POST', `/store/carts/${cart.id}/complete`, undefined, cart.headers).then((x) => x.status),
      postWebhook(app, SECRET, 'payment.authorized', ref),
      postWebhook(app, SECRET, 'payment.authorized', ref),
    ]);
    expect(answers.every((s) => [200, 201, 202].includes(s)), JSON.stringify(answers)).toBe(true);
    const final = await shop.call('POST', `/store/carts/${cart.id}/complete`, undefined, cart.headers);
    expect(final.status).toBe(201);
  }));
  await settle(async () => (await shop.stock(variantId)).committed === RACES);
  const cartIds = sql.join(carts.map((c) => sql`${c.id}::uuid`), sql`, `);
  expect(await count(sql`select count(*)::int as n from orders where cart_id in (${cartIds})`)).toBe(RACES);
  await settle(async () => (await count(sql`select count(*)::int as n from payments where cart_id in (${cartIds}) and status = 'captured'`)) === RACES);
  expect(await count(sql`select count(*)::int as n from payments where cart_id in (${cartIds})`)).toBe(RACES);
  expect(await count(sql`select count(*)::int as n from outbox o join payments p on p.id::text = o.aggregate_id where o.type = 'payment.captured' and p.cart_id in (${cartIds})`)).toBe(RACES);
  expect(await count(sql`select count(*)::int as n from audit_log a join payments p on p.id::text = a.subject_id where a.action = 'payment.captured' and p.cart_id in (${cartIds})`)).toBe(RACES);
  await settle(async () => (await count(sql`select count(*)::int as n from audit_log a join payments p on p.id::text = a.subject_id where a.action = 'payment.authorized' and p.cart_id in (${cartIds})`)) === RACES);
  expect(await count(sql`select count(*)::int as n from outbox o join orders x on x.id::text = o.aggregate_id where o.type = 'order.placed' and x.cart_id in (${cartIds})`)).toBe(RACES);
  expect(await shop.stock(variantId)).toMatchObject({ committed: RACES, reserved: 0, available: 0 });
}, 120_000);
