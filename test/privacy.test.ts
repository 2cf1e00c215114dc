import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Static } from 'typebox';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { orderShipped } from '../src/modules/orders/events.js';
import { selectRows } from '../src/platform/db/database.js';
import { newId } from '../src/platform/ids.js';
import { deadLetters, inbox, outbox } from '../src/platform/events/schema.js';
import type { EventEnvelope } from '../src/platform/events/envelope.js';
import { createActor, createActors, signIn, strongPassword, uniqueEmail, type TestActor, type TestActors } from './support/actors.js';
import { awaitMail } from './support/identity-mail.js';
import { startTestApp, eventually, type TestApp } from './support/test-app.js';
import { settle, shopClient, type Shop } from './checkout-support.js';

let app: TestApp;
let actors: TestActors;
let shop: Shop;

beforeAll(async () => {
  // Outbound webhooks keep a copy of each event they send; the endpoint's host never answers, so copies stay.
  app = await startTestApp({ env: { TEST_PAYMENTS_WEBHOOK_DELAY_MS: '10', WEBHOOK_BACKOFF_MS: '600000', WEBHOOK_TIMEOUT_MS: '200' } });
  actors = await createActors(app);
  shop = shopClient(app, actors.staff.headers);
}, 60_000);
afterAll(async () => app?.close());

const ERASURE_CONSUMERS = ['orders.anonymise-erased-customer', 'carts.erase-customer', 'catalog.anonymise-erased-customer-reviews', 'notifications.anonymise-erased-customer', 'webhooks.redact-erased-customer'];
const address = { name: 'Ada Lovelace', line1: '12 Marylebone High St', city: 'London', postalCode: 'W1U 4NR', country: 'GB' };

/** A customer who bought something (signed-in cart), has a second cart open and reviewed the product. */
async function customerWithHistory(customer: TestActor, reviewBody = 'My husband Charles drinks it every morning in Hampstead') {
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
  await shop.ok('POST', `/store/products/${handle}/reviews`, { rating: 4, title: 'Lovely tea', body: reviewBody, authorName: 'Ada L.' }, customer.headers);
  return { orderId, handle, bought, open, number: checkout.body.number as number };
}

/** Erases through HTTP and waits until every module's erasure consumer has handled `customer.erased`; returns that event. */
async function eraseAndSettle(customer: TestActor) {
  const erase = await app.http.inject({ method: 'POST', url: '/store/me/erase', headers: customer.headers, payload: { password: customer.password } });
  expect(erase.statusCode, erase.body).toBe(204);
  const [event] = await app.database.db.select().from(outbox).where(and(eq(outbox.type, 'customer.erased'), eq(outbox.aggregateId, customer.id!)));
  expect(event).toBeDefined();
  await eventually(async () => {
    const handled = await app.database.db.select().from(inbox).where(eq(inbox.eventId, event!.id));
    return ERASURE_CONSUMERS.every((name) => handled.some((h) => h.consumer === name));
  });
  return event!;
}

/** A customer registered with a name that appears nowhere else, so a scan for it finds only their data. */
async function namedCustomer(): Promise<TestActor & { name: string }> {
  const name = `Grace Hopper ${randomBytes(4).toString('hex')}`;
  const email = uniqueEmail('grace');
  const password = strongPassword();
  const registered = await app.http.inject({ method: 'POST', url: '/auth/register', payload: { email, password, name } });
  expect(registered.statusCode, registered.body).toBe(201);
  const { accessToken, refreshToken } = await signIn(app, email, password);
  return { kind: 'customer', id: registered.json().id, email, password, name, headers: { authorization: `Bearer ${accessToken}` }, accessToken, refreshToken };
}

/** The tables with a row whose text holds `needle` anywhere: every table of the app, each row cast to text (every column, JSON included). */
async function tablesHolding(needle: string): Promise<string[]> {
  const tables = await selectRows<{ name: string }>(app.database.db, sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`);
  const holding = [];
  for (const { name } of tables) {
    const [row] = await selectRows<{ found: boolean }>(app.database.db, sql`select exists (select 1 from ${sql.identifier(name)} t where t::text ilike ${`%${needle}%`}) as found`);
    if (row!.found) holding.push(name);
  }
  return holding;
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
    const event = await eraseAndSettle(customer);

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

  test('mail and event history: the export lists the mail sent; after erasure no mailbox, notification, outbox, dead-letter or webhook-delivery row holds the e-mail, the name or the review', async () => {
    const hook = await app.http.inject({ method: 'POST', url: '/admin/webhooks', headers: actors.admin.headers, payload: { url: 'https://hooks.example.invalid/cloudmart', eventTypes: ['order.placed', 'review.submitted'] } });
    expect(hook.statusCode, hook.body).toBe(201);
    const customer = await namedCustomer();
    await awaitMail(app, customer.email, 'verify-email');
    const town = `Hampstead-${randomBytes(4).toString('hex')}`;
    const { orderId } = await customerWithHistory(customer, `My husband Charles drinks it every morning in ${town}`);
    await awaitMail(app, customer.email, 'order-confirmation');
    // A consumer that gave up on the order's event keeps the whole envelope, e-mail included.
    const [placed] = await app.database.db.select().from(outbox).where(and(eq(outbox.type, 'order.placed'), eq(outbox.aggregateId, orderId)));
    const envelope = { ...placed!, occurredAt: new Date(placed!.occurredAt).toISOString() };
    await app.database.db.insert(deadLetters).values({ id: newId(), consumer: 'test.gave-up', eventId: placed!.id, eventType: placed!.type, envelope, error: 'boom', attempts: 3 });

    const before = (await app.http.inject({ method: 'GET', url: '/store/me/data-export', headers: customer.headers })).json();
    expect(before.notifications).toEqual([
      { id: expect.any(String), orderId, template: 'order-confirmation', to: customer.email, subject: expect.stringMatching(/^Your order \d+$/), sentAt: expect.any(String) },
    ]);
    expect(before.storedMail.map((m: { template: string }) => m.template)).toEqual(['verify-email', 'order-confirmation']);
    expect(before.storedMail[0]).toMatchObject({ to: customer.email, subject: 'Confirm your e-mail address', text: expect.stringContaining(`Hello ${customer.name},`) });
    await eventually(async () => (await tablesHolding(town)).includes('webhook_deliveries'));
    expect(await tablesHolding(customer.email)).toEqual(expect.arrayContaining(['dev_mailbox', 'notifications', 'outbox', 'dead_letters', 'webhook_deliveries']));
    expect(await tablesHolding(customer.name)).toEqual(expect.arrayContaining(['dev_mailbox']));
    expect(await tablesHolding(town)).toEqual(expect.arrayContaining(['outbox']));

    await eraseAndSettle(customer);

    // Nowhere in the database, not only in the tables of mail and event history.
    for (const needle of [customer.email, customer.name, town]) expect(await tablesHolding(needle), needle).toEqual([]);
    // What stays: that the confirmation went out for the order, and when; the events, still valid for a replay.
    const after = await selectRows<{ order_id: string; template: string; recipient: string; subject: string }>(app.database.db, sql`select * from notifications where customer_id = ${customer.id}`);
    expect(after).toEqual([expect.objectContaining({ order_id: orderId, template: 'order-confirmation', recipient: '', subject: '' })]);
    const [scrubbed] = await app.database.db.select().from(outbox).where(eq(outbox.id, placed!.id));
    expect(scrubbed!.payload).toMatchObject({ orderId, customerId: customer.id, email: '', total: 2500 });
    expect(app.events.check({ ...envelope, payload: scrubbed!.payload })).toEqual([]);
    const [review] = await app.database.db.select().from(outbox).where(and(eq(outbox.type, 'review.submitted'), sql`${outbox.payload} ->> 'customerId' = ${customer.id}`));
    expect(review!.payload).toMatchObject({ customerId: customer.id, rating: 4, title: '', body: '' });
    const copies = (await app.http.inject({ url: `/admin/webhooks/${hook.json().id}/deliveries`, headers: actors.admin.headers })).json().items as { id: string; eventType: string }[];
    const sentOrder = (await app.http.inject({ url: `/admin/webhooks/deliveries/${copies.find((d) => d.eventType === 'order.placed')!.id}`, headers: actors.admin.headers })).json();
    expect(sentOrder.body.payload).toMatchObject({ orderId, customerId: customer.id, email: '', total: 2500 });

    // An order event that left before the orders module stripped the order still names the address: no mail goes to an erased customer.
    const late = orderShipped.create(orderId, { ...(scrubbed!.payload as Static<typeof orderShipped.payload>), email: customer.email, carrier: 'DHL', trackingNumber: 'JD0001' });
    expect(await app.consumers.deliver(app.consumers.get('notifications.order-shipped')!, late)).toBe('handled');
    expect(await tablesHolding(customer.email)).toEqual([]);
  }, 60_000);

  test('after erasure the old session can neither erase again nor export (401), the old credentials do not sign in, and there is one erasure', async () => {
    const customer = await namedCustomer();
    await awaitMail(app, customer.email, 'verify-email');
    await eraseAndSettle(customer);

    const again = await app.http.inject({ method: 'POST', url: '/store/me/erase', headers: customer.headers, payload: { password: customer.password } });
    // Erasure ended every session: the same token can neither erase again nor export.
    expect(again.statusCode).toBe(401);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    const erasures = await app.database.db.select().from(outbox).where(and(eq(outbox.type, 'customer.erased'), eq(outbox.aggregateId, customer.id!)));
    expect(erasures).toHaveLength(1);

    const exported = await app.http.inject({ method: 'GET', url: '/store/me/data-export', headers: customer.headers });
    expect(exported.statusCode).toBe(401);
    expect(exported.body).not.toContain(customer.email);
    // Nor can the old address and password sign in to get a new one.
    const relogin = await app.http.inject({ method: 'POST', url: '/auth/login', payload: { email: customer.email, password: customer.password } });
    expect(relogin.statusCode).toBe(401);
  }, 60_000);
});
