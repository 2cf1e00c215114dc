import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { selectRows } from '../src/platform/db/database.js';
import type { TestApp } from './support/test-app.js';
import { settle, startShop, type Shop } from './checkout-support.js';

/**
 * The last use of a promotion cannot be taken twice. Every shopper applies the code while it
 * still has uses, then all check out at once: the guarded UPDATE in the transaction that places
 * the order lets exactly `limit` orders through. The others get 409 promotion-exhausted (or
 * promotion-customer-limit), their payment is voided and their stock goes back; the cart stays
 * open so they may remove the code and pay full price. On PostgreSQL (DATABASE_URL) many
 * checkouts really run in parallel; on PGlite they serialize.
 */
const onServer = Boolean(process.env.DATABASE_URL);
const SHOPPERS = onServer ? 100 : 12;

let app: TestApp;
let shop: Shop;
let staff: Record<string, string>;
beforeAll(async () => {
  ({ app, staff, shop } = await startShop({ env: { DATABASE_POOL_SIZE: '20' } }));
}, 60_000);
afterAll(async () => app?.close());

async function cartsWithCode(n: number, variantId: string, code: string, email: (i: number) => string) {
  const carts = [];
  for (let i = 0; i < n; i += 20) {
    carts.push(...(await Promise.all(Array.from({ length: Math.min(20, n - i) }, async (_, k) => {
      const cart = await shop.cart('USD', email(i + k));
      await shop.add(cart, variantId);
      const applied = await shop.call('POST', `/store/carts/${cart.id}/promotions`, { code }, cart.headers);
      expect(applied.status, JSON.stringify(applied.body)).toBe(200);
      return cart;
    }))));
  }
  return carts;
}

const unique = () => randomBytes(4).toString('hex');

for (const limit of [1, 3]) {
  test(`${SHOPPERS} concurrent checkouts with a code of ${limit} use(s): exactly ${limit} order(s) get it`, async () => {
    const { variantId } = await shop.product({ stock: SHOPPERS, price: 1000 });
    const code = `RACE${unique().toUpperCase()}`;
    const promo = await shop.ok('POST', '/admin/promotions', { title: 'Race', code, kind: 'percentage', value: 5000, usageLimit: limit }, staff);
    const carts = await cartsWithCode(SHOPPERS, variantId, code, () => `race-${unique()}@example.com`);
    const results = await Promise.all(carts.map((c) => shop.checkout(c)));
    const won = results.filter((r) => r.status === 201);
    expect(won).toHaveLength(limit);
    const lost = results.filter((r) => r.status !== 201);
    expect(lost.every((r) => r.status === 409 && r.body.type === '/problems/promotion-exhausted'), JSON.stringify(lost.find((r) => r.status !== 409)?.body)).toBe(true);
    // On PostgreSQL most losers pass every read of the count (the code still had uses) and only the guarded UPDATE stops them.
    const atPlacing = lost.filter((r) => String(r.body.detail).includes('while you were checking out')).length;
    if (onServer) expect(atPlacing).toBeGreaterThan(0);
    // A loser that got past the first transaction had its card authorized: that authorization is
    // voided at the processor (its reference recorded), not left on the shopper's card.
    const lostCarts = carts.filter((_, i) => results[i]!.status !== 201).map((c) => c.id);
    const paid = await selectRows<{ status: string; provider_ref: string | null }>(app.database.db, sql`
      select status, provider_ref from payments where cart_id in (${sql.join(lostCarts.map((id) => sql`${id}`), sql`, `)}) and status <> 'failed'`);
    expect(paid.length).toBeGreaterThanOrEqual(atPlacing);
    for (const p of paid) {
      expect(p).toMatchObject({ status: 'voided', provider_ref: expect.any(String) });
      // The test processor's page answers with the payment's state there (it has no step left to take).
      expect((await shop.ok('POST', `/payments/test/3ds/${p.provider_ref}`, { succeed: true })).status).toBe('voided');
    }
    for (const w of won) expect(await shop.order(w.body.orderId)).toMatchObject({ subtotal: 1000, discount: 500 });
    expect(await shop.ok('GET', `/admin/promotions/${promo.id}`, undefined, staff)).toMatchObject({ used: limit });
    expect((await shop.ok('GET', `/admin/promotions/${promo.id}/redemptions`, undefined, staff)).items).toHaveLength(limit);
    // The losers' stock went back; their carts are open, and without the code they pay full price.
    await settle(async () => (await shop.stock(variantId)).committed === limit);
    expect(await shop.stock(variantId)).toMatchObject({ reserved: 0, committed: limit, available: SHOPPERS - limit });
    const loser = carts[results.findIndex((r) => r.status !== 201)]!;
    await shop.ok('DELETE', `/store/carts/${loser.id}/promotions/${code}`, undefined, loser.headers);
    const full = await shop.checkout(loser);
    expect(full.status).toBe(201);
    expect(await shop.order(full.body.orderId)).toMatchObject({ discount: 0, total: 1000 });
  }, 180_000);
}

test('one customer checking out many carts at once uses a once-per-customer code once', async () => {
  const n = Math.min(SHOPPERS, 30);
  const { variantId } = await shop.product({ stock: n, price: 1000 });
  const code = `ONCE${unique().toUpperCase()}`;
  const promo = await shop.ok('POST', '/admin/promotions', { title: 'Once each', code, kind: 'fixed', value: 200, currency: 'USD', perCustomerLimit: 1 }, staff);
  const email = `greedy-${unique()}@example.com`;
  const carts = await cartsWithCode(n, variantId, code, () => email);
  const results = await Promise.all(carts.map((c) => shop.checkout(c)));
  expect(results.filter((r) => r.status === 201)).toHaveLength(1);
  expect(results.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.type === '/problems/promotion-customer-limit')).toBe(true);
  expect(await shop.ok('GET', `/admin/promotions/${promo.id}`, undefined, staff)).toMatchObject({ used: 1 });
}, 180_000);
