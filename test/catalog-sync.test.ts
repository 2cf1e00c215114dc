import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Redis } from 'ioredis';
import { asc, eq, sql } from 'drizzle-orm';
import { startTestApp, eventually, type TestApp } from './support/test-app.js';
import { createActors, type TestActors } from './support/actors.js';
import { catalogClient, expectProblem, shirt } from './catalog-support.js';
import { createProduct, updateProduct } from '../src/modules/catalog/products.js';
import { outbox } from '../src/platform/events/schema.js';
import { catalogEventsQuery } from '../src/modules/catalog/view.js';
import { PgDialect } from 'drizzle-orm/pg-core';
import { selectRows } from '../src/platform/db/database.js';
import type { ProductInput } from '../src/modules/catalog/types.js';

let app: TestApp;
let shop: TestActors;
let c: ReturnType<typeof catalogClient>;
beforeAll(async () => {
  app = await startTestApp({ env: { CATALOG_SYNC_MS: '25' } });
  shop = await createActors(app);
  c = catalogClient(app, shop.staff.headers);
});
afterAll(async () => app.close());

describe('the store follows product events', () => {
  test('a change written by another process (straight to the database and outbox) reaches the store and the search index', async () => {
    const doc = await app.database.transaction((tx) => createProduct(tx, shirt(1) as ProductInput));
    const [event] = await app.database.db.select().from(outbox).where(eq(outbox.aggregateId, doc.id));
    expect(event).toMatchObject({ type: 'product.created', payload: { productId: doc.id, handle: doc.handle, version: 1 } });
    await eventually(async () => (await app.http.inject({ url: `/store/products/${doc.handle}` })).statusCode === 200);
    await app.database.transaction((tx) => updateProduct(tx, doc.id, { title: 'Quilted Overshirt' }));
    await eventually(async () => (await app.http.inject({ url: '/store/search?q=quilted' })).json().total === 1);
  });

  test('every admin change publishes product.created / updated / deleted in its transaction', async () => {
    const p = await c.createProduct(shirt(2));
    await c.ok('PATCH', `/admin/products/${p.id}`, { vendor: 'V2' });
    await c.ok('DELETE', `/admin/products/${p.id}`);
    // In the order they were written: a row the relay has marked sent may sit anywhere in the heap.
    const events = await app.database.db.select().from(outbox).where(eq(outbox.aggregateId, p.id)).orderBy(asc(outbox.seq));
    expect(events.map((e) => e.type)).toEqual(['product.created', 'product.updated', 'product.deleted']);
    expect(events[1]?.payload).toMatchObject({ version: 2, changes: ['vendor'] });
  });
});

describe('following the outbox among other events', () => {
  test("the store's poll reads catalog events by type, not every event since the last catalog change", async () => {
    // A shop's outbox is mostly order events; the poll's cursor moves only on catalog ones.
    await app.database.db.execute(sql`
      insert into outbox (id, type, version, occurred_at, aggregate_type, aggregate_id, payload, published_at)
      select gen_random_uuid(), 'order.placed', 1, now(), 'order', gen_random_uuid()::text, '{}'::jsonb, now() from generate_series(1, 20000)`);
    // The app's statements are prepared: the plan that counts is the generic one, without statistics.
    const poll = new PgDialect().sqlToQuery(catalogEventsQuery(0));
    const plan = await app.database.transaction(async (tx) => {
      await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
      await tx.execute(sql.raw(`prepare catalog_poll_plan as ${poll.sql}`));
      const rows = await selectRows<{ 'QUERY PLAN': string }>(tx, sql.raw(`explain execute catalog_poll_plan (${poll.params.join(', ')})`));
      await tx.execute(sql`deallocate catalog_poll_plan`);
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan, plan).toContain('outbox_by_type');
    expect(plan, plan).not.toMatch(/Scan using outbox_pkey|Seq Scan on outbox/);
    const doc = await app.database.transaction((tx) => createProduct(tx, shirt(7) as ProductInput));
    await eventually(async () => (await app.http.inject({ url: `/store/products/${doc.handle}` })).statusCode === 200);
  });
});

describe('reviews', () => {
  test('a customer reviews once; the rating shows on the product; staff can hide it; review.submitted is published', async () => {
    const p = await c.createProduct(shirt(3));
    const url = `/store/products/${p.handle}/reviews`;
    const r = await c.call('POST', url, { rating: 4, title: 'Nice', body: 'Soft and fits well' }, shop.customer.headers);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ rating: 4, verifiedPurchase: false, customerId: shop.customer.id });
    await c.call('POST', url, { rating: 2 }, shop.otherCustomer.headers);
    expect((await c.store(`/store/products/${p.handle}`)).rating).toEqual({ average: 3, count: 2 });
    expectProblem(await c.call('POST', url, { rating: 5 }, shop.customer.headers), 409, 'already-reviewed');
    expectProblem(await c.call('POST', url, { rating: 6 }, shop.otherCustomer.headers), 422, 'validation-failed');
    expect((await c.call('PATCH', `/admin/reviews/${r.body.id}`, { hidden: true }, shop.customer.headers)).status).toBe(403);
    await c.ok('PATCH', `/admin/reviews/${r.body.id}`, { hidden: true });
    expect((await c.store(`/store/products/${p.handle}`)).rating).toEqual({ average: 2, count: 1 });
    expect((await c.store(url)).items.map((x: { rating: number }) => x.rating)).toEqual([2]);
    const submitted = await app.database.db.select().from(outbox).where(eq(outbox.type, 'review.submitted'));
    expect(submitted.map((e) => (e.payload as { rating: number }).rating).sort()).toEqual([2, 4]);
  });
});

describe('bulk edit', () => {
  test('one edit over many products, all or nothing', async () => {
    const a = await c.createProduct(shirt(4));
    const b = await c.createProduct(shirt(5));
    const r = await c.ok('POST', '/admin/products/bulk', { productIds: [a.id, b.id], set: { addTags: ['sale'], removeTags: ['summer'], priceFactor: { currency: 'USD', factor: 0.9 } } });
    expect(r).toEqual({ updated: 2 });
    const after = await c.store(`/store/products/${a.handle}`);
    expect(after.tags).toEqual(['eco', 'sale']);
    expect(after.price.amount).toBe(2250);
    expectProblem(await c.call('POST', '/admin/products/bulk', { productIds: [a.id, '01900000-0000-7000-8000-000000000000'], set: { status: 'archived' } }), 422, 'unknown-product');
    expect((await c.store(`/store/products/${a.handle}`)).tags).toEqual(['eco', 'sale']);
  });
});

describe('with REDIS_URL, replicas tell each other at once', () => {
  test('a change announced on the Redis channel is applied without waiting for the outbox poll', async () => {
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await probe.connect();
    } catch {
      console.warn(`Redis not reachable at ${redisUrl}; skipping`);
      return;
    }
    const replica = await startTestApp({ env: { REDIS_URL: redisUrl, CATALOG_SYNC_MS: '60000' } });
    try {
      const doc = await replica.database.transaction((tx) => createProduct(tx, shirt(6) as ProductInput));
      expect((await replica.http.inject({ url: `/store/products/${doc.handle}` })).statusCode).toBe(404);
      await probe.publish('cloudmart:catalog:changed', JSON.stringify({ origin: 'other-replica', productIds: [doc.id], meta: false }));
      await eventually(async () => (await replica.http.inject({ url: `/store/products/${doc.handle}` })).statusCode === 200, 5000);
    } finally {
      probe.disconnect();
      await replica.close();
    }
  });
});
