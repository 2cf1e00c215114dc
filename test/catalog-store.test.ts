import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createActors } from './support/actors.js';
import { catalogClient, expectProblem } from './catalog-support.js';

let app: TestApp;
let c: ReturnType<typeof catalogClient>;
const ids: Record<string, string> = {};
let tops: string;
let shoes: string;

const product = (handle: string, title: string, extra: Record<string, unknown>, usd: number, stock = 3) => ({
  handle, title, status: 'published', vendor: 'Acme', productType: 'Misc', tags: [], descriptionHtml: '', ...extra,
  variants: [{ sku: `SKU-${handle}`, optionValues: (extra.options as { values: string[] }[] | undefined)?.map((o) => o.values[0] as string) ?? [], inventoryQuantity: stock, prices: [{ currency: 'USD', amount: usd }, { currency: 'EUR', amount: usd - 100 }] }],
});

beforeAll(async () => {
  app = await startTestApp();
  const shop = await createActors(app);
  c = catalogClient(app, shop.staff.headers);
  const clothing = await c.ok('POST', '/admin/categories', { name: 'Clothing' });
  tops = (await c.ok('POST', '/admin/categories', { name: 'Tops', parentId: clothing.id })).id;
  shoes = (await c.ok('POST', '/admin/categories', { name: 'Shoes' })).id;
  const colour = [{ name: 'Color', values: ['Red', 'Blue'] }];
  for (const [handle, title, extra, usd, stock] of [
    ['black-t-shirt', 'Black T-Shirt', { tags: ['basics', 'sale'], productType: 'T-Shirt', categoryIds: [tops], descriptionHtml: '<p>A heavy cotton tee.</p>' }, 2000, 3],
    ['white-t-shirt', 'White T-Shirt', { tags: ['basics'], productType: 'T-Shirt', categoryIds: [tops], vendor: 'Lumen' }, 2500, 0],
    ['red-hoodie', 'Red Hoodie', { tags: ['winter'], productType: 'Hoodie', categoryIds: [tops], options: colour, descriptionHtml: '<p>Warm t-shirt fabric inside.</p>' }, 6000, 2],
    ['trail-sneakers', 'Trail Sneakers', { tags: ['outdoor'], productType: 'Sneakers', categoryIds: [shoes], descriptionHtml: '<p>Grippy soles for hiking.</p>' }, 9000, 1],
    ['shirt-dress', 'Shirt Dress', { tags: ['summer'], productType: 'Dress', categoryIds: [tops], descriptionHtml: '<p>Cotton.</p>' }, 4000, 5],
  ] as const) ids[handle] = (await c.createProduct(product(handle, title, extra, usd, stock))).id;
});
afterAll(async () => app.close());

const handles = (r: { items: { handle: string }[] }) => r.items.map((i) => i.handle);

describe('store list', () => {
  test('filters: category (with subcategories), tags, price range in a currency, option values, in stock', async () => {
    expect(handles(await c.store('/store/products?category=clothing&sort=price_asc'))).toEqual(['black-t-shirt', 'white-t-shirt', 'shirt-dress', 'red-hoodie']);
    expect(handles(await c.store('/store/products?category=shoes'))).toEqual(['trail-sneakers']);
    expect(handles(await c.store('/store/products?tags=sale,outdoor&sort=price_asc'))).toEqual(['black-t-shirt', 'trail-sneakers']);
    expect(handles(await c.store('/store/products?priceMin=2000&priceMax=4000&sort=price_desc'))).toEqual(['shirt-dress', 'white-t-shirt', 'black-t-shirt']);
    expect(handles(await c.store('/store/products?currency=EUR&priceMax=1900'))).toEqual(['black-t-shirt']);
    expect(handles(await c.store('/store/products?options=Color:Red'))).toEqual(['red-hoodie']);
    expect(handles(await c.store('/store/products?productType=T-Shirt&inStock=true'))).toEqual(['black-t-shirt']);
  });

  test('facets count the whole filtered set', async () => {
    const r = await c.store('/store/products?category=tops&facets=true');
    expect(r.total).toBe(4);
    expect(r.facets.productTypes).toEqual([{ value: 'T-Shirt', count: 2 }, { value: 'Dress', count: 1 }, { value: 'Hoodie', count: 1 }]);
    expect(r.facets.vendors).toEqual([{ value: 'Acme', count: 3 }, { value: 'Lumen', count: 1 }]);
    expect(r.facets.price).toEqual({ min: 2000, max: 6000, currency: 'USD' });
    expect(r.facets.inStock).toBe(3);
  });

  test('cursor pagination walks every product once, in order', async () => {
    const seen: string[] = [];
    let url = '/store/products?limit=2&sort=price_asc';
    for (;;) {
      const page = await c.store(url);
      seen.push(...handles(page));
      if (!page.nextCursor) break;
      url = `/store/products?limit=2&sort=price_asc&cursor=${page.nextCursor}`;
    }
    expect(seen).toEqual(['black-t-shirt', 'white-t-shirt', 'shirt-dress', 'red-hoodie', 'trail-sneakers']);
  });

  test('unknown filter values, malformed cursors and unknown parameters are 400', async () => {
    expectProblem(await c.call('GET', '/store/products?category=nope', undefined, {}), 400, 'unknown-filter-value');
    expectProblem(await c.call('GET', '/store/products?collection=nope', undefined, {}), 400, 'unknown-filter-value');
    expectProblem(await c.call('GET', '/store/products?cursor=garbage', undefined, {}), 400, 'invalid-cursor');
    const other = (await c.store('/store/products?limit=1&sort=newest')).nextCursor;
    expectProblem(await c.call('GET', `/store/products?sort=price_asc&cursor=${other}`, undefined, {}), 400, 'invalid-cursor');
    expectProblem(await c.call('GET', '/store/products?colour=red', undefined, {}), 400, 'bad-request');
    expectProblem(await c.call('GET', '/store/products?currency=XXX', undefined, {}), 400, 'unknown-currency');
    expectProblem(await c.call('GET', '/store/products?sort=cheapest', undefined, {}), 400, 'bad-request');
  });

  test('categories come as a tree', async () => {
    const r = await c.store('/store/categories');
    expect(r.categories.map((n: { handle: string }) => n.handle)).toEqual(['clothing', 'shoes']);
    expect(r.categories[0].children[0].handle).toBe('tops');
  });

  test('a category cannot move under its own descendant', async () => {
    const clothing = (await c.store('/store/categories')).categories[0];
    expectProblem(await c.call('PATCH', `/admin/categories/${clothing.id}`, { parentId: tops }), 409, 'category-cycle');
    expectProblem(await c.call('PATCH', `/admin/categories/${clothing.id}`, { parentId: clothing.id }), 409, 'category-cycle');
    expect((await c.store('/store/categories')).categories[0].children[0].id).toBe(tops);
  });
});

describe('collections', () => {
  test('manual collections keep their order; rule-based ones follow tags, type and price', async () => {
    await c.ok('POST', '/admin/collections', { title: 'Staff picks', productIds: [ids['trail-sneakers'], ids['black-t-shirt']] });
    expect(handles((await c.store('/store/collections/staff-picks')).products)).toHaveLength(2);
    await c.ok('POST', '/admin/collections', { title: 'Under 30', rules: { price: { currency: 'USD', max: 3000 } } });
    expect(handles((await c.store('/store/collections/under-30?sort=price_asc')).products)).toEqual(['black-t-shirt', 'white-t-shirt']);
    await c.ok('POST', '/admin/collections', { title: 'Tees', rules: { productTypes: ['T-Shirt'], tagsAny: ['sale'] } });
    expect(handles((await c.store('/store/collections/tees')).products)).toEqual(['black-t-shirt']);
    // A price change moves a product into the rule collection on the next read.
    await c.ok('PATCH', `/admin/products/${ids['shirt-dress']}`, { variants: [{ sku: 'SKU-shirt-dress', prices: [{ currency: 'USD', amount: 2900 }] }] });
    expect(handles((await c.store('/store/collections/under-30?sort=price_asc')).products)).toEqual(['black-t-shirt', 'white-t-shirt', 'shirt-dress']);
    expectProblem(await c.call('GET', '/store/collections/none', undefined, {}), 404, 'collection-not-found');
  });
});

describe('price lists', () => {
  test('a sale applies between its dates, an override for its customer group only; the store shows compare-at', async () => {
    const variantId = (await c.ok('GET', `/admin/products/${ids['trail-sneakers']}`)).variants[0].id;
    const now = Date.now();
    const sale = await c.ok('POST', '/admin/price-lists', { name: 'Summer sale', startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(), prices: [{ variantId, currency: 'USD', amount: 7500 }] });
    expect((await c.store('/store/products/trail-sneakers')).price).toMatchObject({ amount: 7500, compareAt: 9000, priceListId: sale.id });
    await c.ok('POST', '/admin/price-lists', { name: 'Later', startsAt: new Date(now + 86_400_000).toISOString(), prices: [{ variantId, currency: 'USD', amount: 100 }] });
    await c.ok('POST', '/admin/price-lists', { name: 'Wholesale', kind: 'override', customerGroup: 'wholesale', prices: [{ variantId, currency: 'USD', amount: 50 }] });
    expect((await c.store('/store/products/trail-sneakers')).price.amount).toBe(7500);
    await c.ok('DELETE', `/admin/price-lists/${sale.id}`);
    expect((await c.store('/store/products/trail-sneakers')).price).toMatchObject({ amount: 9000, compareAt: null });
    expectProblem(await c.call('POST', '/admin/price-lists', { name: 'Bad', prices: [{ variantId, currency: 'ZZZ', amount: 1 }] }), 422, 'unknown-currency');
    expectProblem(await c.call('POST', '/admin/price-lists', { name: 'Bad', startsAt: '2030-01-02T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' }), 422, 'invalid-dates');
    expect((await c.ok('GET', '/admin/price-lists')).priceLists.map((l: { name: string }) => l.name).sort()).toEqual(['Later', 'Wholesale']);
  });
});

describe('search', () => {
  test('typos, prefixes and field boosts: title beats description', async () => {
    const typo = await c.store('/store/search?q=tshrit');
    expect(handles(typo).slice(0, 2).sort()).toEqual(['black-t-shirt', 'white-t-shirt']);
    expect(typo.corrections).toEqual({ tshrit: 'tshirt' });
    // "t-shirt" is in the hoodie's description only: it ranks after both titles.
    expect(handles(await c.store('/store/search?q=t-shirt'))).toEqual(expect.arrayContaining(['black-t-shirt', 'white-t-shirt', 'red-hoodie']));
    expect(handles(await c.store('/store/search?q=t-shirt')).indexOf('red-hoodie')).toBe(2);
    expect(handles(await c.store('/store/search?q=sneak'))).toEqual(['trail-sneakers']);
    expect(handles(await c.store('/store/search?q=hodie'))).toEqual(['red-hoodie']);
  });

  test('results carry highlights, facets and prices in the currency', async () => {
    const r = await c.store('/store/search?q=shirt&currency=EUR');
    const black = r.items.find((i: { handle: string }) => i.handle === 'black-t-shirt');
    expect(black.highlights.title).toBe('Black <mark>T-Shirt</mark>');
    expect(black.price).toMatchObject({ currency: 'EUR', amount: 1900 });
    expect(r.facets.productTypes.map((f: { value: string }) => f.value)).toContain('T-Shirt');
    expect(handles(await c.store('/store/search?q=shirt&category=shoes'))).toEqual([]);
  });

  test('an empty or 10 KB search string is 400', async () => {
    expectProblem(await c.call('GET', '/store/search?q=', undefined, {}), 400, 'bad-request');
    expectProblem(await c.call('GET', '/store/search?q=%20%20', undefined, {}), 400, 'empty-search');
    expectProblem(await c.call('GET', `/store/search?q=${'a'.repeat(10_240)}`, undefined, {}), 400, 'bad-request');
  });

  test('the index follows changes: a renamed product is found by its new name at once', async () => {
    await c.ok('PATCH', `/admin/products/${ids['shirt-dress']}`, { title: 'Linen Kaftan' });
    expect(handles(await c.store('/store/search?q=kaftan'))).toEqual(['shirt-dress']);
    await c.ok('DELETE', `/admin/products/${ids['red-hoodie']}`);
    expect(handles(await c.store('/store/search?q=hoodie'))).toEqual([]);
  });
});

describe('the early response cache', () => {
  test('a repeated read is answered from cache with the same bytes, headers and ETag (304 when the client has it); bad input still gets its 4xx; an admin edit shows on the next read', async () => {
    const url = '/store/products/trail-sneakers?currency=EUR';
    const first = await app.http.inject({ url });
    const second = await app.http.inject({ url });
    expect(second.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);
    for (const h of ['content-type', 'cache-control', 'x-content-type-options', 'content-security-policy', 'x-request-id']) expect(second.headers[h], h).toBeDefined();
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect((await app.http.inject({ url, headers: { 'if-none-match': String(first.headers.etag) } })).statusCode).toBe(304);
    expect((await app.http.inject({ url: '/store/products/trail-sneakers?currency=eur' })).statusCode).toBe(400);
    expect((await app.http.inject({ url: '/store/products/no-such-product' })).statusCode).toBe(404);
    expect((await app.http.inject({ url: '/store/products/no-such-product' })).statusCode).toBe(404);

    await c.ok('PATCH', `/admin/products/${ids['trail-sneakers']}`, { title: 'Trail Runners' });
    const after = await app.http.inject({ url, headers: { 'if-none-match': String(first.headers.etag) } });
    expect(after.statusCode).toBe(200);
    expect(after.json().title).toBe('Trail Runners');
  });
});
