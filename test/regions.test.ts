import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { regionsSeeder } from '../src/modules/regions/seed.js';
import type { SeedContext } from '../src/platform/seed.js';
import type { TestApp } from './support/test-app.js';
import { createActor } from './support/actors.js';
import { expectProblem, startShop, type Shop } from './checkout-support.js';

let app: TestApp;
let shop: Shop;
let staff: Record<string, string>;

beforeAll(async () => {
  ({ app, staff, shop } = await startShop());
}, 60_000);
afterAll(async () => app?.close());

/** PUT /store/carts/{id}/shipping-option (the shop client knows GET/POST/PATCH/DELETE only). */
async function choose(cart: { id: string; headers: Record<string, string> }, shippingOptionId: string) {
  const r = await app.http.inject({ method: 'PUT', url: `/store/carts/${cart.id}/shipping-option`, payload: { shippingOptionId }, headers: cart.headers });
  return { status: r.statusCode, body: r.json(), headers: r.headers };
}
const address = (country: string, region?: string) => ({ name: 'Ada', line1: '1 Main St', city: 'Town', postalCode: '12345', country, ...(region ? { region } : {}) });
const region = (body: Record<string, unknown>) => shop.ok('POST', '/admin/regions', { code: `r-${randomBytes(3).toString('hex')}`, name: 'Region', ...body }, staff);
async function variant(currency: string, price: number, weightGrams: number | null = null) {
  const n = randomBytes(4).toString('hex');
  const p = await shop.ok('POST', '/admin/products', {
    title: `Mug ${n}`, handle: `mug-${n}`, status: 'published', variants: [{ sku: `MUG-${n}`, weightGrams, prices: [{ currency, amount: price }] }],
  }, staff);
  await shop.ok('POST', `/admin/inventory/${p.variants[0].id}/adjustments`, { delta: 50, reason: 'received' }, staff);
  return p.variants[0].id as string;
}

test('exclusive pricing: a state rate beats the country rate, shipping is chosen and priced per cart', async () => {
  const r = await region({ currency: 'CAD', countries: ['CA'], taxInclusive: false, defaultTaxRateBps: 500 });
  await shop.ok('POST', `/admin/regions/${r.id}/tax-rates`, { country: 'CA', subdivision: 'QC', name: 'QST+GST', rateBps: 1498 }, staff);
  const flat = await shop.ok('POST', `/admin/regions/${r.id}/shipping-options`, { name: 'Post', kind: 'flat', amount: 900, freeOver: 10_000 }, staff);
  const heavy = await shop.ok('POST', `/admin/regions/${r.id}/shipping-options`, { name: 'Courier', kind: 'weight', bands: [{ upToGrams: 1000, amount: 1500 }, { upToGrams: 5000, amount: 2500 }] }, staff);
  const mug = await variant('CAD', 2000, 800);
  const cart = await shop.cart('CAD');
  await shop.add(cart, mug, 2);
  const patched = await shop.ok('PATCH', `/store/carts/${cart.id}`, { shippingAddress: address('CA', 'QC') }, cart.headers);
  expect(patched).toMatchObject({ region: { code: r.code, taxRateBps: 1498, taxInclusive: false }, shippingRequired: true });
  expect(patched.totals).toMatchObject({ subtotal: 4000, tax: 599, shipping: 0, total: 4599 });
  const options = await shop.ok('GET', `/store/carts/${cart.id}/shipping-options`, undefined, cart.headers);
  expect(options.items).toEqual([
    { id: flat.id, name: 'Post', kind: 'flat', amount: 900, currency: 'CAD' },
    { id: heavy.id, name: 'Courier', kind: 'weight', amount: 2500, currency: 'CAD' },
  ]);
  expectProblem(await shop.checkout(cart), 422, 'shipping-option-required');
  const chosen = (await choose(cart, heavy.id)).body;
  expect(chosen.totals).toMatchObject({ shipping: 2500, tax: 599, total: 7099 });
  // Out of Quebec: the country's default rate.
  const ontario = await shop.ok('PATCH', `/store/carts/${cart.id}`, { shippingAddress: address('CA', 'ON') }, cart.headers);
  expect(ontario.totals).toMatchObject({ tax: 200, total: 6700 });
  const r2 = await shop.checkout(cart);
  expect(r2.status, JSON.stringify(r2.body)).toBe(201);
  expect(await shop.order(r2.body.orderId)).toMatchObject({ subtotal: 4000, shipping: 2500, tax: 200, total: 6700, taxInclusive: false });
});

test('inclusive pricing (VAT): the price holds the tax, free shipping over the threshold after discounts', async () => {
  const r = await region({ currency: 'DKK', countries: ['DK'], taxInclusive: true, defaultTaxRateBps: 2500 });
  const option = await shop.ok('POST', `/admin/regions/${r.id}/shipping-options`, { name: 'GLS', kind: 'flat', amount: 4900, freeOver: 50_000 }, staff);
  const mug = await variant('DKK', 12_500);
  const cart = await shop.cart('DKK');
  await shop.add(cart, mug, 4);
  await shop.ok('PATCH', `/store/carts/${cart.id}`, { shippingAddress: address('DK') }, cart.headers);
  const free = (await choose(cart, option.id)).body;
  expect(free.totals).toMatchObject({ subtotal: 50_000, tax: 10_000, shipping: 0, total: 50_000, taxInclusive: true });
  const code = `DK${randomBytes(3).toString('hex').toUpperCase()}`;
  await shop.ok('POST', '/admin/promotions', { title: '10 %', code, kind: 'percentage', value: 1000 }, staff);
  const discounted = await shop.ok('POST', `/store/carts/${cart.id}/promotions`, { code }, cart.headers);
  // 45,000 after the discount is under the 50,000 threshold: shipping is charged again.
  expect(discounted.totals).toMatchObject({ subtotal: 50_000, discount: 5000, shipping: 4900, tax: 9000, total: 49_900 });
});

test('outside every region, or in another currency, the shop-wide settings apply', async () => {
  const r = await region({ currency: 'NOK', countries: ['NO'], defaultTaxRateBps: 2500 });
  await shop.ok('POST', `/admin/regions/${r.id}/shipping-options`, { name: 'Posten', kind: 'flat', amount: 9900 }, staff);
  const mug = await variant('USD', 1000);
  const cart = await shop.cart('USD');
  await shop.add(cart, mug);
  const norway = await shop.ok('PATCH', `/store/carts/${cart.id}`, { shippingAddress: address('NO') }, cart.headers);
  // Norwegian VAT applies; NOK options do not suit a USD cart, so nothing to choose.
  expect(norway).toMatchObject({ shippingRequired: false, totals: { tax: 250 } });
  expect((await shop.ok('GET', `/store/carts/${cart.id}/shipping-options`, undefined, cart.headers)).items).toEqual([]);
  const elsewhere = await shop.ok('PATCH', `/store/carts/${cart.id}`, { shippingAddress: address('JP') }, cart.headers);
  expect(elsewhere).toMatchObject({ region: null, totals: { tax: 0, total: 1000 } });
  expect((await shop.checkout(cart)).status).toBe(201);
});

test('bad input: precise problems, nothing half-written', async () => {
  const r = await region({ currency: 'CHF', countries: ['CH', 'LI'] });
  expectProblem(await shop.call('POST', '/admin/regions', { code: 'other', name: 'x', currency: 'CHF', countries: ['LI'] }, staff), 409, 'country-in-other-region');
  expectProblem(await shop.call('POST', '/admin/regions', { code: r.code, name: 'x', currency: 'CHF', countries: ['AD'] }, staff), 409, 'region-code-taken');
  expectProblem(await shop.call('POST', '/admin/regions', { code: 'dup', name: 'x', currency: 'CHF', countries: ['AD', 'AD'] }, staff), 422, 'invalid-region');
  expectProblem(await shop.call('POST', '/admin/regions', { code: 'lower', name: 'x', currency: 'chf', countries: ['ad'] }, staff), 422, 'validation-failed');
  expectProblem(await shop.call('POST', `/admin/regions/${r.id}/tax-rates`, { country: 'FR', name: 'no', rateBps: 100 }, staff), 422, 'country-not-in-region');
  await shop.ok('POST', `/admin/regions/${r.id}/tax-rates`, { country: 'CH', name: 'MWST', rateBps: 810 }, staff);
  expectProblem(await shop.call('POST', `/admin/regions/${r.id}/tax-rates`, { country: 'CH', name: 'again', rateBps: 800 }, staff), 409, 'tax-rate-exists');
  expectProblem(await shop.call('POST', `/admin/regions/${r.id}/tax-rates`, { country: 'CH', name: 'big', rateBps: 10_001 }, staff), 422, 'validation-failed');
  expectProblem(await shop.call('POST', `/admin/regions/${r.id}/shipping-options`, { name: 'w', kind: 'weight' }, staff), 422, 'invalid-shipping-option');
  expectProblem(await shop.call('POST', `/admin/regions/${r.id}/shipping-options`, { name: 'w', kind: 'weight', bands: [{ upToGrams: 500, amount: 1 }, { upToGrams: 100, amount: 2 }] }, staff), 422, 'invalid-shipping-option');
  const light = await shop.ok('POST', `/admin/regions/${r.id}/shipping-options`, { name: 'Letter', kind: 'weight', bands: [{ upToGrams: 100, amount: 200 }] }, staff);
  const view = await shop.ok('GET', `/admin/regions/${r.id}`, undefined, staff);
  expect(view.taxRates).toHaveLength(1);
  expect(view.shippingOptions).toHaveLength(1);
  expectProblem(await shop.call('GET', `/admin/regions/${light.id}`, undefined, staff), 404, 'region-not-found');

  const mug = await variant('CHF', 3000, 400);
  const cart = await shop.cart('CHF');
  await shop.add(cart, mug);
  expectProblem(await shop.call('GET', `/store/carts/${cart.id}/shipping-options`, undefined, cart.headers), 422, 'shipping-address-required');
  await shop.ok('PATCH', `/store/carts/${cart.id}`, { shippingAddress: address('CH') }, cart.headers);
  // 400 g is over the only band: the option is not offered and cannot be chosen.
  expect((await shop.ok('GET', `/store/carts/${cart.id}/shipping-options`, undefined, cart.headers)).items).toEqual([]);
  expectProblem(await choose(cart, light.id), 422, 'shipping-option-unavailable');
  expect((await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers)).shippingOptionId).toBeNull();
  const customer = await createActor(app, 'customer');
  expect((await shop.call('GET', '/admin/regions', undefined, customer.headers)).status).toBe(403);
});

test('the demo seeder makes US, EU (VAT inclusive) and UK zones, once', async () => {
  const { app: fresh, staff: admin } = await startShop();
  try {
    const ctx = { database: fresh.database } as unknown as SeedContext;
    await regionsSeeder.run(ctx);
    await regionsSeeder.run(ctx);
    const list = (await fresh.http.inject({ url: '/admin/regions', headers: admin })).json();
    const byCode = Object.fromEntries(list.items.map((r: { code: string }) => [r.code, r]));
    expect(Object.keys(byCode).sort()).toEqual(['eu', 'uk', 'us']);
    expect(byCode.eu).toMatchObject({ currency: 'EUR', taxInclusive: true });
    expect(byCode.us).toMatchObject({ currency: 'USD', taxInclusive: false });
    expect(byCode.uk.shippingOptions.length).toBeGreaterThan(0);
  } finally {
    await fresh.close();
  }
});
