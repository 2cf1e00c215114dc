import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { selectRows } from '../src/platform/db/database.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createActors, type TestActors } from './support/actors.js';
import { settle, shopClient, type Shop } from './checkout-support.js';

// The catalog learns from the orders and inventory events, never from their tables:
// verified-purchase reviews and the store's "in stock".
let app: TestApp;
let actors: TestActors;
let shop: Shop;
beforeAll(async () => {
  app = await startTestApp({ env: { CATALOG_SYNC_MS: '25' } });
  actors = await createActors(app);
  shop = shopClient(app, actors.staff.headers);
});
afterAll(async () => app.close());

const handleOf = async (productId: string) => (await shop.ok('GET', `/admin/products/${productId}`, undefined, actors.staff.headers)).handle as string;

describe('verified purchase', () => {
  test('a customer who ordered and received the product writes a verified review; one who did not, or whose order is not yet delivered, does not', async () => {
    const { variantId, productId } = await shop.product({ stock: 5 });
    const handle = await handleOf(productId);
    const buy = async (customer: Record<string, string>) => {
      const cart = await shop.cart();
      await shop.add(cart, variantId);
      await shop.ok('POST', `/store/carts/${cart.id}/claim`, undefined, { ...cart.headers, ...customer });
      const r = await shop.checkout(cart);
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
      const orderId = r.body.orderId as string;
      await settle(async () => (await shop.order(orderId)).status === 'paid');
      return orderId;
    };
    const orderId = await buy(actors.customer.headers);
    await shop.ok('POST', `/admin/orders/${orderId}/ship`, { carrier: 'UPS', trackingNumber: '1Z1' }, actors.staff.headers);
    await shop.ok('POST', `/admin/orders/${orderId}/deliver`, undefined, actors.staff.headers);
    await buy(actors.otherCustomer.headers); // paid, not delivered

    const url = `/store/products/${handle}/reviews`;
    // The purchase reaches the catalog through the outbox; wait until it is recorded, as a shopper would.
    await settle(async () => (await selectRows(app.database.db, sql`select 1 from catalog_purchases where order_id = ${orderId} and delivered_at is not null`)).length === 1);
    const mine = await shop.call('POST', url, { rating: 5, title: 'Great tea' }, actors.customer.headers);
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    expect(mine.body.verifiedPurchase).toBe(true);
    const other = await shop.call('POST', url, { rating: 3 }, actors.otherCustomer.headers);
    expect(other.status).toBe(201);
    expect(other.body.verifiedPurchase).toBe(false);
    const listed = await shop.ok('GET', url);
    expect(listed.items.map((r: { rating: number; verifiedPurchase: boolean }) => [r.rating, r.verifiedPurchase]).sort()).toEqual([[3, false], [5, true]]);
  });
});

describe('in stock follows inventory', () => {
  test('a variant sold out in inventory drops out of the in-stock listing and its product shows out of stock on the next read; restocked, it comes back', async () => {
    const { variantId, productId } = await shop.product({ stock: 1 });
    const handle = await handleOf(productId);
    const inStockHandles = async () => (await shop.ok('GET', '/store/products?inStock=true&limit=100&sort=newest')).items.map((p: { handle: string }) => p.handle) as string[];
    await settle(async () => (await shop.ok('GET', `/store/products/${handle}`)).inStock === true);
    expect(await inStockHandles()).toContain(handle);

    // The last unit is reserved by a checkout: available 0.
    const cart = await shop.cart();
    await shop.add(cart, variantId);
    expect((await shop.checkout(cart)).status).toBeLessThan(300);
    await settle(async () => (await shop.ok('GET', `/store/products/${handle}`)).inStock === false);
    expect(await inStockHandles()).not.toContain(handle);
    expect((await shop.ok('GET', `/store/products/${handle}`)).variants[0].inStock).toBe(false);

    await shop.ok('POST', `/admin/inventory/${variantId}/adjustments`, { delta: 3, reason: 'received' }, actors.staff.headers);
    await settle(async () => (await shop.ok('GET', `/store/products/${handle}`)).inStock === true);
    expect(await inStockHandles()).toContain(handle);
  });
});
