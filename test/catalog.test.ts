import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createActors, type TestActors } from './support/actors.js';
import { catalogClient, expectProblem, shirt } from './catalog-support.js';

let app: TestApp;
let shop: TestActors;
let c: ReturnType<typeof catalogClient>;
beforeAll(async () => {
  app = await startTestApp();
  shop = await createActors(app);
  c = catalogClient(app, shop.staff.headers);
});
afterAll(async () => app.close());

describe('products through the admin API and the store', () => {
  test('create, read by handle with prices in the asked currency, update, delete', async () => {
    const created = await c.createProduct(shirt(1));
    expect(created).toMatchObject({ handle: 'organic-cotton-t-shirt-1', version: 1, variants: [{ sku: 'TS-1-S-BLK' }, { sku: 'TS-1-M-WHT' }] });

    const usd = await c.store('/store/products/organic-cotton-t-shirt-1');
    expect(usd).toMatchObject({ title: 'Organic Cotton T-Shirt 1', price: { amount: 2500, currency: 'USD' }, priceRange: { min: 2500, max: 2700 }, inStock: true });
    expect(usd.variants[1]).toMatchObject({ inStock: false, price: { amount: 2700 } });
    const eur = await c.store('/store/products/organic-cotton-t-shirt-1?currency=EUR');
    expect(eur.price).toEqual({ amount: 2300, currency: 'EUR', compareAt: null, priceListId: null });
    expect((await c.store('/store/products/organic-cotton-t-shirt-1?currency=GBP')).price).toBeNull();

    // Read-after-write: the next store read after the acknowledged update shows it.
    const updated = await c.ok('PATCH', `/admin/products/${created.id}`, { title: 'Organic Cotton Tee 1', tags: ['eco'] });
    expect(updated.version).toBe(2);
    expect(await c.store('/store/products/organic-cotton-t-shirt-1')).toMatchObject({ title: 'Organic Cotton Tee 1', tags: ['eco'], version: 2 });

    await c.ok('DELETE', `/admin/products/${created.id}`);
    expectProblem(await c.call('GET', '/store/products/organic-cotton-t-shirt-1', undefined, {}), 404, 'product-not-found');
  });

  test('drafts are not in the store until published', async () => {
    const p = await c.createProduct(shirt(2, { status: 'draft' }));
    expectProblem(await c.call('GET', `/store/products/${p.handle}`, undefined, {}), 404, 'product-not-found');
    await c.ok('PATCH', `/admin/products/${p.id}`, { status: 'published' });
    expect((await c.store(`/store/products/${p.handle}`)).id).toBe(p.id);
  });

  test('ETag: a repeat read is 304, a change gives a new tag', async () => {
    const p = await c.createProduct(shirt(3));
    const first = await app.http.inject({ url: `/store/products/${p.handle}` });
    const etag = String(first.headers.etag);
    expect((await app.http.inject({ url: `/store/products/${p.handle}`, headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    await c.ok('PATCH', `/admin/products/${p.id}`, { vendor: 'Other Vendor' });
    const after = await app.http.inject({ url: `/store/products/${p.handle}`, headers: { 'if-none-match': etag } });
    expect(after.statusCode).toBe(200);
    expect(after.json().vendor).toBe('Other Vendor');
  });

  test('variants are replaced by the sent list, matched by SKU', async () => {
    const p = await c.createProduct(shirt(4));
    const keep = p.variants[0];
    const next = await c.ok('PATCH', `/admin/products/${p.id}`, {
      variants: [{ sku: keep.sku, optionValues: ['S', 'Black'], prices: [{ currency: 'USD', amount: 1999 }] }, { sku: 'TS-4-NEW', optionValues: ['M', 'Black'] }],
    });
    expect(next.variants.map((v: { id: string; sku: string }) => v.sku)).toEqual([keep.sku, 'TS-4-NEW']);
    expect(next.variants[0].id).toBe(keep.id);
    expect((await c.store(`/store/products/${p.handle}`)).price.amount).toBe(1999);
  });

  test('a customer cannot write products; anonymous gets 401', async () => {
    expect((await c.call('POST', '/admin/products', shirt(5), shop.customer.headers)).status).toBe(403);
    expect((await c.call('POST', '/admin/products', shirt(5), {})).status).toBe(401);
  });
});

describe('bad input is refused precisely and writes nothing', () => {
  test('duplicate handle and duplicate SKU are 409', async () => {
    await c.createProduct(shirt(10));
    expectProblem(await c.call('POST', '/admin/products', shirt(10, { variants: [] })), 409, 'duplicate-handle');
    const r = await c.call('POST', '/admin/products', shirt(11, { variants: [{ sku: 'TS-10-S-BLK', optionValues: ['S', 'Black'] }] }));
    expectProblem(r, 409, 'duplicate-sku');
    expectProblem(await c.call('GET', '/store/products/organic-cotton-t-shirt-11', undefined, {}), 404, 'product-not-found');
    const twice = await c.call('POST', '/admin/products', shirt(12, { variants: [{ sku: 'X', optionValues: ['S', 'Black'] }, { sku: 'X', optionValues: ['M', 'Black'] }] }));
    expectProblem(twice, 422, 'validation-failed');
    expect(twice.body.errors[0]).toMatchObject({ field: 'variants.1.sku' });
  });

  test('negative or fractional minor units and unknown currencies are 422', async () => {
    const price = (p: unknown) => shirt(13, { variants: [{ sku: 'P-13', optionValues: ['S', 'Black'], prices: [p] }] });
    expectProblem(await c.call('POST', '/admin/products', price({ currency: 'USD', amount: -1 })), 422, 'validation-failed');
    expectProblem(await c.call('POST', '/admin/products', price({ currency: 'USD', amount: 19.99 })), 422, 'validation-failed');
    const cur = await c.call('POST', '/admin/products', price({ currency: 'EUD', amount: 100 }));
    expectProblem(cur, 422, 'validation-failed');
    expect(cur.body.errors[0]).toMatchObject({ field: 'variants.0.prices.0.currency', message: 'unknown currency "EUD"' });
    expect((await c.call('GET', '/admin/products?limit=200')).body.items.some((p: { handle: string }) => p.handle === 'organic-cotton-t-shirt-13')).toBe(false);
  });

  test('a script tag in a description is refused', async () => {
    const r = await c.call('POST', '/admin/products', shirt(14, { descriptionHtml: '<p>Nice</p><script>alert(1)</script>' }));
    expectProblem(r, 422, 'validation-failed');
    expect(r.body.errors[0].field).toBe('descriptionHtml');
    const onclick = await c.call('POST', '/admin/products', shirt(14, { descriptionHtml: '<p onclick="steal()">Nice</p>' }));
    expectProblem(onclick, 422, 'validation-failed');
  });

  test('option values must match the options', async () => {
    const r = await c.call('POST', '/admin/products', shirt(15, { variants: [{ sku: 'O-15', optionValues: ['XXL', 'Black'] }] }));
    expectProblem(r, 422, 'validation-failed');
    expect(r.body.errors[0]).toMatchObject({ field: 'variants.0.optionValues.0' });
  });
});
