import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createActor } from './support/actors.js';
import { catalogClient, expectProblem, shirt } from './catalog-support.js';

let source: TestApp;
let target: TestApp;
let a: ReturnType<typeof catalogClient>;
let b: ReturnType<typeof catalogClient>;
beforeAll(async () => {
  [source, target] = await Promise.all([startTestApp(), startTestApp()]);
  a = catalogClient(source, (await createActor(source, 'staff')).headers);
  b = catalogClient(target, (await createActor(target, 'staff')).headers);
});
afterAll(async () => Promise.all([source.close(), target.close()]));

const importCsv = (app: TestApp, headers: Record<string, string>, csv: string) =>
  app.http.inject({ method: 'POST', url: '/admin/products/import', payload: csv, headers: { ...headers, 'content-type': 'text/csv' } });

const SHOPIFY = `Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Grams,Variant Inventory Qty,Variant Price,Variant Compare At Price,Image Src,Image Alt Text,Gift Card,Google Shopping / Gender
classic-tee,Classic Tee,<p>Our <b>best</b> tee</p>,Legacy Co,T-Shirt,"basics, cotton",TRUE,Size,S,LEG-TEE-S,180,10,19.99,24.99,https://cdn.example.com/tee.jpg,Front view,FALSE,unisex
classic-tee,,,,,,,,M,LEG-TEE-M,185,0,19.99,,https://cdn.example.com/tee-back.jpg,Back view,,
classic-tee,,,,,,,,L,LEG-TEE-L,190,4,21.00,,,,,
canvas-tote,Canvas Tote,A sturdy tote,Legacy Co,Bag,,TRUE,Title,Default Title,LEG-TOTE,400,3,35,,,,FALSE,
`;

describe('CSV import and export', () => {
  test('a Shopify product export imports: grouped rows, options, prices in minor units, images, unknown columns ignored', async () => {
    const r = await importCsv(target, b.headersFor(), SHOPIFY);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ created: 2, updated: 0, ignoredColumns: ['Gift Card', 'Google Shopping / Gender'] });
    const tee = await b.store('/store/products/classic-tee');
    expect(tee).toMatchObject({ title: 'Classic Tee', vendor: 'Legacy Co', tags: ['basics', 'cotton'], options: [{ name: 'Size', values: ['S', 'M', 'L'] }] });
    expect(tee.variants.map((v: { sku: string; price: { amount: number } }) => [v.sku, v.price.amount])).toEqual([['LEG-TEE-S', 1999], ['LEG-TEE-M', 1999], ['LEG-TEE-L', 2100]]);
    expect(tee.variants[0].price.compareAt).toBe(2499);
    expect(tee.images.map((i: { alt: string }) => i.alt)).toEqual(['Front view', 'Back view']);
    expect((await b.store('/store/products/canvas-tote')).variants).toMatchObject([{ sku: 'LEG-TOTE', optionValues: [], price: { amount: 3500 } }]);
  });

  test('export → import into an empty shop → export gives the same file and the same catalog', async () => {
    const cat = await a.ok('POST', '/admin/categories', { name: 'Tops' });
    await a.ok('POST', '/admin/categories', { name: 'Bottoms' });
    await b.ok('POST', '/admin/categories', { name: 'Tops' });
    await b.ok('POST', '/admin/categories', { name: 'Bottoms' });
    await a.createProduct(shirt(1, { categoryIds: [cat.id], images: [{ url: 'https://cdn.example.com/1.jpg', alt: 'Tee, "front"' }], descriptionHtml: '<p>Line one,\nline two</p>' }));
    await a.createProduct(shirt(2, { status: 'draft', tags: ['one, with comma'.replace(',', ''), 'two'] }));
    await a.createProduct({ title: 'Plain Scarf', handle: 'plain-scarf', status: 'archived', variants: [{ sku: 'SC-1', prices: [{ currency: 'GBP', amount: 1200 }, { currency: 'USD', amount: 1500, compareAt: 2000 }] }] });
    const first = (await source.http.inject({ url: '/admin/products/export', headers: a.headersFor() })).body;
    expect(first.split('\n')[0]).toContain('Variant Price EUR');
    const r = await importCsv(target, b.headersFor(), first);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ created: 3 });
    const all = (await target.http.inject({ url: '/admin/products/export', headers: b.headersFor() })).body;
    // The target also holds the Shopify products of the previous test; the three copied ones must match line for line.
    const ours = (csv: string) => csv.split('\n').filter((l) => /^(organic-cotton-t-shirt-[12]|plain-scarf),/.test(l) || l.startsWith('Handle,')).join('\n');
    expect(ours(all)).toBe(ours(first));
    const copied = await b.ok('GET', '/admin/products?limit=50');
    const scarf = copied.items.find((p: { handle: string }) => p.handle === 'plain-scarf');
    expect(scarf).toMatchObject({ status: 'archived', variants: [{ sku: 'SC-1' }] });
    expect(scarf.variants[0].prices).toEqual(expect.arrayContaining([{ currency: 'GBP', amount: 1200, compareAt: null, priceListId: null }, { currency: 'USD', amount: 1500, compareAt: 2000, priceListId: null }]));
  });

  test('re-importing the same file updates in place (same SKUs, same variant ids)', async () => {
    const before = await b.ok('GET', '/admin/products?limit=50');
    const csv = (await target.http.inject({ url: '/admin/products/export', headers: b.headersFor() })).body;
    const r = await importCsv(target, b.headersFor(), csv);
    expect(r.json()).toMatchObject({ created: 0, updated: before.items.length });
    const after = await b.ok('GET', '/admin/products?limit=50');
    expect(after.items.map((p: { variants: { id: string }[] }) => p.variants.map((v) => v.id))).toEqual(before.items.map((p: { variants: { id: string }[] }) => p.variants.map((v) => v.id)));
  });

  test('a wrong header is refused; broken rows get a per-row report and nothing is imported', async () => {
    const count = async () => (await b.ok('GET', '/admin/products?limit=200')).items.length;
    const n = await count();
    const header = await importCsv(target, b.headersFor(), 'Name,Price\nTee,10\n');
    expectProblem({ status: header.statusCode, body: header.json(), headers: header.headers }, 422, 'csv-invalid');
    expect(header.json().rows[0]).toMatchObject({ row: 1, field: 'Handle, Title, Variant SKU, Variant Price' });

    const broken = `Handle,Title,Body (HTML),Variant SKU,Variant Price,Option1 Name,Option1 Value
good-one,Good One,,G-1,10.00,,
bad-price,Bad Price,,B-1,-5,,
bad-price,,,B-2,12.345,,
scripted,Scripted,<script>alert(1)</script>,S-1,5.00,,
dup-sku,Dup Sku,,G-1,5.00,,
no-sku,No Sku,,,5.00,,
`;
    const r = await importCsv(target, b.headersFor(), broken);
    expectProblem({ status: r.statusCode, body: r.json(), headers: r.headers }, 422, 'csv-invalid');
    const rows = r.json().rows.map((x: { row: number; field: string }) => `${x.row}:${x.field}`);
    expect(rows).toEqual(expect.arrayContaining(['3:Variant Price', '4:Variant Price', '5:descriptionHtml', '6:Variant SKU', '7:Variant SKU']));
    expect(rows).not.toContain('2:Variant Price');
    expect(await count()).toBe(n);
    expectProblem(await b.call('GET', '/store/products/good-one', undefined, {}), 404, 'product-not-found');

    const clash = await importCsv(target, b.headersFor(), 'Handle,Title,Variant SKU,Variant Price\nnew-thing,New Thing,LEG-TOTE,5\n');
    expect(clash.json().rows).toEqual([{ row: 2, field: 'Variant SKU', problem: 'SKU "LEG-TOTE" already belongs to another product' }]);
    expect(await count()).toBe(n);
  });
});
