import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { selectRows, type Tx } from '../src/platform/db/database.js';
import { commitOrderStock, reserveStock } from '../src/modules/inventory/stock.js';
import type { TestApp } from './support/test-app.js';
import { settle, startShop, type Shop } from './checkout-support.js';

let app: TestApp;
let shop: Shop;
let staff: Record<string, string>;
beforeAll(async () => {
  ({ app, staff, shop } = await startShop());
}, 60_000);
afterAll(async () => app?.close());

const events = (type: string, variantId: string) =>
  selectRows<{ payload: { available: number; threshold: number } }>(app.database.db, sql`select payload from outbox where type = ${type} and aggregate_id = ${variantId} order by seq`);

test('inventory.low is announced once, when available stock crosses the threshold', async () => {
  const { variantId } = await shop.product({ stock: 8 });
  await shop.ok('PATCH', `/admin/inventory/${variantId}`, { lowThreshold: 3 }, staff);
  for (const quantity of [2, 3, 1]) {
    const cart = await shop.cart();
    await shop.add(cart, variantId, quantity);
    expect((await shop.checkout(cart)).status).toBe(201);
  }
  const low = await events('inventory.low', variantId);
  expect(low.map((e) => e.payload)).toEqual([{ variantId, available: 3, threshold: 3 }]);
  await settle(async () => (await shop.stock(variantId)).committed === 6);
  expect(await shop.stock(variantId)).toMatchObject({ onHand: 8, committed: 6, available: 2 });
});

test('a backordered variant sells beyond what is on hand; a stocked one does not', async () => {
  const made = await shop.product({ stock: 1, backorder: true });
  const cart = await shop.cart();
  await shop.add(cart, made.variantId, 3);
  expect((await shop.checkout(cart)).status).toBe(201);
  await settle(async () => (await shop.stock(made.variantId)).committed === 3);
  expect(await shop.stock(made.variantId)).toMatchObject({ onHand: 1, committed: 3, available: -2, backorder: true });
  const unstocked = await shop.product({ stock: 0 });
  const other = await shop.cart();
  expect((await shop.call('POST', `/store/carts/${other.id}/items`, { variantId: unstocked.variantId, quantity: 1 }, other.headers)).body.type).toBe('/problems/out-of-stock');
});

test('stock per location: a second location adds to availability and adjustments are audited', async () => {
  const { variantId } = await shop.product({ stock: 2 });
  await shop.ok('POST', '/admin/inventory/locations', { code: 'shop-floor', name: 'Shop floor' }, staff);
  const view = await shop.ok('POST', `/admin/inventory/${variantId}/adjustments`, { delta: 3, reason: 'received', location: 'shop-floor' }, staff);
  expect(view).toMatchObject({ onHand: 5, available: 5 });
  expect(view.locations.map((l: { code: string; onHand: number }) => [l.code, l.onHand])).toEqual([['default', 2], ['shop-floor', 3]]);
  const audits = await selectRows<{ n: number }>(app.database.db, sql`select count(*)::int as n from audit_log where action = 'inventory.adjusted' and subject_id = ${variantId}`);
  expect(audits[0]?.n).toBe(2);
  expect((await shop.call('POST', `/admin/inventory/${variantId}/adjustments`, { delta: 1, reason: 'received', location: 'nowhere' }, staff)).status).toBe(404);
});

test.runIf(process.env.DATABASE_URL)('a transaction moving several orders\' stock locks no level row until its end, and then in lock order, so it cannot deadlock with a checkout', async () => {
  const [x, y] = [(await shop.product({ stock: 10 })).variantId, (await shop.product({ stock: 10 })).variantId].sort();
  const [first, second] = [randomUUID(), randomUUID()];
  const hold = (variantId: string, orderId?: string) => (tx: Tx) => reserveStock(tx, randomUUID(), [{ variantId, quantity: 1 }], new Date(Date.now() + 600_000), orderId);
  await app.database.transaction(hold(y as string, first));
  await app.database.transaction(hold(x as string, second));
  // As a consumer's run of two order.placed events: the first order's unit is on y, the second's on x (not lock order across the run).
  let movedFirst = () => {};
  const firstMoved = new Promise<void>((r) => (movedFirst = r));
  let checkoutDone = () => {};
  const checkoutSettled = new Promise<void>((r) => (checkoutDone = r));
  const run = app.database.transaction(async (tx) => {
    await commitOrderStock(tx, [first]);
    movedFirst();
    await Promise.race([checkoutSettled, new Promise((r) => setTimeout(r, 500))]);
    await commitOrderStock(tx, [second]);
  });
  await firstMoved;
  // Meanwhile a checkout holds x, then y (lock order).
  const checkout = app.database.transaction(async (tx) => {
    await reserveStock(tx, randomUUID(), [{ variantId: x as string, quantity: 1 }, { variantId: y as string, quantity: 1 }], new Date(Date.now() + 600_000));
  }).finally(checkoutDone);
  const outcomes = await Promise.allSettled([run, checkout]);
  expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : o.status))).toEqual(['fulfilled', 'fulfilled']);
  for (const variantId of [x, y] as string[]) expect(await shop.stock(variantId)).toMatchObject({ onHand: 10, reserved: 1, committed: 1 });
});
