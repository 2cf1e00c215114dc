import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inbox, outbox } from '../src/platform/events/schema.js';
import type { EventEnvelope } from '../src/platform/events/envelope.js';
import { createActor, createActors, type TestActor, type TestActors } from './support/actors.js';
import { startTestApp, eventually, type TestApp } from './support/test-app.js';
import { settle, shopClient, type Shop } from './checkout-support.js';

let app: TestApp;
let actors: TestActors;
let shop: Shop;

beforeAll(async () => {
  app = await startTestApp({ env: { TEST_PAYMENTS_WEBHOOK_DELAY_MS: '10' } });
  actors = await createActors(app);
  shop = shopClient(app, actors.staff.headers);
}, 60_000);
afterAll(async () => app?.close());

const ERASURE_CONSUMERS = ['orders.anonymise-erased-customer', 'carts.erase-customer', 'catalog.anonymise-erased-customer-reviews'];
const address = { name: 'Ada Lovelace', line1: '12 Marylebone High St', city: 'London', postalCode: 'W1U 4NR', country: 'GB' };

/** A customer who bought something (signed-in cart), has a second cart open and reviewed the product. */
async function customerWithHistory(customer: TestActor) {
  const { variantId, productId } = await shop.product({ stock: 10, price: 1250 });
  const { handle } = await shop.ok('GET', `/admin/products/${productId}`, undefined, actors.staff.headers);
  const bought = await shop.cart('USD', customer.email);
  const boughtHeaders = { ...bought.headers, ...customer.headers };
  await shop.ok('POST', `/store/carts/${bought.id}/claim`, undefined, boughtHeaders);
  await shop.ok('PATCH', `/store/carts/${bought.id}`, { shippingAddress: address, billingAddress: address, notes: 'Ring twice, ask for Ada' }, bought.headers);
  await shop.add(bought, variantId, 2);
  const checkout = await shop.checkout(bought);
  expect(checkout.status, JSON.stringify(checkout.body)).toBe(201);
  const orderId = checkout.body.orderId as string;
  await settle(async () => (await shop.order(orderId)).status === 'paid');

  const open = await shop.cart('USD');
  await shop.ok('POST', `/store/carts/${open.id}/claim`, undefined, { ...open.headers, ...customer.headers });
  await shop.add(open, variantId, 1);
  await shop.ok('POST', `/store/products/${handle}/reviews`, { rating: 4, title: 'Lovely tea', body: 'My husband Charles drinks it every morning in Hampstead', authorName: 'Ada L.' }, customer.headers);
  return { orderId, handle, bought, open, number: checkout.body.number as number };
}

describe('privacy rights across modules', () => {
  test('the export holds the account, the orders with lines and card, the carts and the reviews', async () => {
    const customer = await createActor(app, 'customer');
    const { orderId, open, bought } = await customerWithHistory(customer);
    const r = await app.http.inject({ method: 'GET', url: '/store/me/data-export', headers: customer.headers });
    expect(r.statusCode).toBe(200);
    const data = r.json();
    expect(data.account).toMatchObject({ id: customer.id, email: customer.email });
    expect(data.orders).toHaveLength(1);
    expect(data.orders[0]).toMatchObject({
      id: orderId, email: customer.email, total: 2500, shippingAddress: address, notes: 'Ring twice, ask for Ada',
      lines: [expect.objectContaining({ quantity: 2, unitAmount: 1250, total: 2500 })],
      payment: { provider: 'test', cardBrand: 'visa', cardLast4: '4242' }, returns: [],
    });
    expect(JSON.stringify(data.orders)).not.toMatch(/tok_|4242424242424242/);
    expect(data.carts.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([[bought.id, 'completed'], [open.id, 'open']]);
    expect(data.carts[1].items).toEqual([expect.objectContaining({ quantity: 1 })]);
    expect(data.reviews).toEqual([expect.objectContaining({ rating: 4, title: 'Lovely tea', authorName: 'Ada L.', product: expect.objectContaining({ handle: expect.any(String) }) })]);

    // Nobody else's data leaks into an export.
    const other = (await app.http.inject({ method: 'GET', url: '/store/me/data-export', headers: actors.otherCustomer.headers })).json();
    expect(other).toMatchObject({ orders: [], carts: [], reviews: [] });
  }, 60_000);

  test('erasure anonymises orders, carts and reviews but keeps the accounting record; audited once each, idempotent', async () => {
    const customer = await createActor(app, 'customer');
    const { orderId, handle, bought, open, number } = await customerWithHistory(customer);
    const before = await shop.order(orderId);
    const erase = await app.http.inject({ method: 'POST', url: '/store/me/erase', headers: customer.headers, payload: { password: customer.password } });
    expect(erase.statusCode).toBe(204);

    const [event] = await app.database.db.select().from(outbox).where(and(eq(outbox.type, 'customer.erased'), eq(outbox.aggregateId, customer.id!)));
    expect(event).toBeDefined();
    await eventually(async () => {
      const handled = await app.database.db.select().from(inbox).where(eq(inbox.eventId, event!.id));
      return ERASURE_CONSUMERS.every((name) => handled.some((h) => h.consumer === name));
    });

    // Staff still see the order for the books: number, totals, tax, lines, payment; no one's name, e-mail or address.
    const after = await shop.order(orderId);
    expect(after).toMatchObject({
      number, total: before.total, subtotal: before.subtotal, tax: before.tax, shipping: before.shipping, capturedAmount: before.capturedAmount,
      paymentStatus: before.paymentStatus, lines: before.lines, email: '', shippingAddress: null, billingAddress: null, notes: '',
    });
    expect(after.timeline.map((t: { kind: string }) => t.kind)).toContain('personal-data-erased');
    const text = JSON.stringify(after);
    for (const pii of [customer.email, 'Ada', 'Lovelace', 'Marylebone', 'W1U']) expect(text).not.toContain(pii);

    // The open cart is gone; the completed one (the checkout's exactly-once key) is stripped.
    expect((await shop.call('GET', `/store/carts/${open.id}`, undefined, open.headers)).status).toBe(404);
    expect((await shop.call('GET', `/store/carts/${bought.id}`, undefined, bought.headers)).body).toMatchObject({ status: 'completed', email: null, shippingAddress: null, billingAddress: null, notes: '' });

    // The review keeps its stars, loses its words and its author.
    const reviews = (await shop.ok('GET', `/store/products/${handle}/reviews`)).items;
    expect(reviews).toEqual([expect.objectContaining({ rating: 4, title: '', body: '', authorName: '' })]);

    const log = (await app.http.inject({ method: 'GET', url: '/admin/audit-log', headers: actors.admin.headers })).json().items as { action: string; subjectId: string }[];
    expect(log.filter((e) => e.subjectId === customer.id && e.action === 'privacy.erased')).toHaveLength(1);

    // A redelivered erasure has no second effect.
    const envelope = { ...event!, occurredAt: new Date(event!.occurredAt).toISOString() } as unknown as EventEnvelope;
    for (const name of ERASURE_CONSUMERS) {
      expect(await app.consumers.deliver(app.consumers.get(name)!, envelope)).toBe('duplicate');
    }
    expect((await shop.order(orderId)).timeline.filter((t: { kind: string }) => t.kind === 'personal-data-erased')).toHaveLength(1);
  }, 60_000);

  test('an export is audited with the parts it held', async () => {
    const customer = await createActor(app, 'customer');
    await app.http.inject({ method: 'GET', url: '/store/me/data-export', headers: customer.headers });
    const log = (await app.http.inject({ method: 'GET', url: '/admin/audit-log', headers: actors.admin.headers })).json().items as { action: string; subjectId: string; data: { parts: string[] } }[];
    const entry = log.find((e) => e.subjectId === customer.id && e.action === 'privacy.data-exported');
    expect(entry?.data.parts).toEqual(expect.arrayContaining(['account', 'orders', 'carts', 'reviews']));
  });
});
