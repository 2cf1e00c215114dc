import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { selectRows } from '../src/platform/db/database.js';
import { releaseCheckout } from '../src/modules/inventory/stock.js';
import { markAllAuthorized, recordAuthorization } from '../src/modules/payments/service.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createActors, type TestActors } from './support/actors.js';
import { CARDS, expectProblem, nextActionRef, orphanedThreeDSecureCheckout, postWebhook, settle, shopClient, type Shop } from './checkout-support.js';

const SECRET = 'whsec_checkout_test';
let app: TestApp;
let actors: TestActors;
let shop: Shop;

beforeAll(async () => {
  app = await startTestApp({ env: { TEST_PAYMENTS_WEBHOOK_SECRET: SECRET, TEST_PAYMENTS_WEBHOOK_DELAY_MS: '30', TEST_PAYMENTS_WEBHOOK_DUPLICATE_PERCENT: '50' } });
  actors = await createActors(app);
  shop = shopClient(app, actors.staff.headers);
}, 60_000);
afterAll(async () => app?.close());

describe('checkout', () => {
  test('a paid checkout places one order: stock committed, payment captured, customer told', async () => {
    const { variantId } = await shop.product({ stock: 5, price: 1250 });
    const cart = await shop.cart();
    const view = await shop.add(cart, variantId, 2);
    expect(view.totals).toMatchObject({ subtotal: 2500, total: 2500 });
    const r = await shop.checkout(cart);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ status: 'completed', cartId: cart.id });
    const orderId = r.body.orderId as string;
    await settle(async () => {
      const o = await shop.order(orderId);
      return o.status === 'paid' && o.paymentStatus === 'captured';
    });
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 5, reserved: 0, committed: 2, available: 3 });
    const order = await shop.order(orderId);
    expect(order).toMatchObject({ total: 2500, capturedAmount: 2500, email: 'shopper@example.com' });
    expect(order.lines).toMatchObject([{ variantId, quantity: 2, unitAmount: 1250, total: 2500 }]);
    expect(order.timeline.map((t: { kind: string }) => t.kind)).toEqual(expect.arrayContaining(['placed', 'paid', 'payment-captured']));
    const mail = await shop.ok('GET', '/admin/dev-mailbox', undefined, actors.admin.headers).catch(() => null);
    if (mail) expect(JSON.stringify(mail)).toContain(`Your order ${order.number}`);
    // The cart is done: it cannot change or be checked out again into a second order.
    expectProblem(await shop.call('POST', `/store/carts/${cart.id}/items`, { variantId, quantity: 1 }, cart.headers), 409, 'cart-not-open');
    const again = await shop.checkout(cart);
    expect(again.body.orderId).toBe(orderId);
  });

  test('order numbers have no gaps from declined attempts', async () => {
    const { variantId } = await shop.product({ stock: 10 });
    const numbers: number[] = [];
    for (const card of [CARDS.ok, CARDS.declined, CARDS.ok, CARDS.insufficient, CARDS.ok]) {
      const cart = await shop.cart();
      await shop.add(cart, variantId);
      const r = await shop.checkout(cart, card);
      if (r.status === 201) numbers.push(r.body.number);
    }
    expect(numbers).toHaveLength(3);
    expect(numbers[1]! - numbers[0]!).toBe(1);
    expect(numbers[2]! - numbers[1]!).toBe(1);
  });

  test('declined and insufficient-funds cards: 402, the stock goes back, the cart reopens', async () => {
    const { variantId } = await shop.product({ stock: 3 });
    const cart = await shop.cart();
    await shop.add(cart, variantId, 3);
    const declined = await shop.checkout(cart, CARDS.declined);
    expectProblem(declined, 402, 'payment-declined');
    expect(declined.body.code).toBe('card_declined');
    const poor = await shop.checkout(cart, CARDS.insufficient);
    expectProblem(poor, 402, 'payment-declined');
    expect(poor.body.code).toBe('insufficient_funds');
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 3, reserved: 0, committed: 0, available: 3 });
    expect((await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers)).status).toBe('open');
    expect((await shop.checkout(cart)).status).toBe(201);
  });

  test('Idempotency-Key: a retry returns the first answer, another body with the same key is a 422', async () => {
    const { variantId } = await shop.product({ stock: 5 });
    const cart = await shop.cart();
    await shop.add(cart, variantId);
    const first = await shop.checkout(cart, CARDS.ok, 'key-1');
    const retry = await shop.checkout(cart, CARDS.ok, 'key-1');
    expect(retry.status).toBe(first.status);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const other = await shop.call('POST', `/store/carts/${cart.id}/checkout`, { paymentToken: await shop.cardToken(CARDS.declined) }, { ...cart.headers, 'idempotency-key': 'key-1' });
    expectProblem(other, 422, 'idempotency-key-reused');
    await settle(async () => (await shop.stock(variantId)).committed === 1);
    expect(await shop.stock(variantId)).toMatchObject({ committed: 1, reserved: 0 });
  });

  test('Idempotency-Key: the same request sent five times at once runs once; the others hear it is running, or get its answer', async () => {
    const { variantId } = await shop.product({ stock: 5 });
    const cart = await shop.cart();
    await shop.add(cart, variantId);
    const body = { paymentToken: await shop.cardToken(CARDS.ok) };
    const answers = await Promise.all(Array.from({ length: 5 }, () => shop.call('POST', `/store/carts/${cart.id}/checkout`, body, { ...cart.headers, 'idempotency-key': 'key-at-once' })));
    const ran = answers.filter((a) => a.status === 201 && a.headers['idempotent-replayed'] !== 'true');
    expect(ran).toHaveLength(1);
    for (const other of answers.filter((a) => a !== ran[0])) {
      if (other.status === 201) expect(other.body).toEqual(ran[0]!.body);
      else expectProblem(other, 409, 'idempotency-in-progress');
    }
    const placed = await selectRows<{ n: number }>(app.database.db, sql`select count(*)::int as n from payments where cart_id = ${cart.id}`);
    expect(placed).toEqual([{ n: 1 }]);
  });

  test('Idempotency-Key: checkouts of many carts at once, some sent twice, each run once and each answered with its own order', async () => {
    const { variantId } = await shop.product({ stock: 20 });
    const carts = await Promise.all(Array.from({ length: 6 }, () => shop.cart()));
    for (const cart of carts) await shop.add(cart, variantId);
    const body = { paymentToken: await shop.cardToken(CARDS.ok) };
    const send = (cart: { id: string; headers: Record<string, string> }, i: number) => shop.call('POST', `/store/carts/${cart.id}/checkout`, body, { ...cart.headers, 'idempotency-key': `many-at-once-${i}` });
    // The first three carts' requests go twice, with the same key.
    const answers = await Promise.all([...carts.map(send), ...carts.slice(0, 3).map(send)]);
    for (const [i, cart] of carts.entries()) {
      const mine = answers.filter((_, j) => j % 6 === i);
      const ran = mine.filter((a) => a.status === 201 && a.headers['idempotent-replayed'] !== 'true');
      expect(ran).toHaveLength(1);
      expect(ran[0]!.body.cartId).toBe(cart.id);
      for (const other of mine.filter((a) => a !== ran[0])) {
        if (other.status === 201) expect(other.body).toEqual(ran[0]!.body);
        else expectProblem(other, 409, 'idempotency-in-progress');
      }
      // The stored answer is the one given: a retry now replays it.
      const again = await send(cart, i);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(ran[0]!.body);
    }
    const orders = await selectRows<{ n: number }>(app.database.db, sql`select count(*)::int as n from orders where cart_id = any(${`{${carts.map((c) => c.id).join(',')}}`}::uuid[])`);
    expect(orders).toEqual([{ n: 6 }]);
  });

  test('3-D Secure: the shopper never comes back, the signed webhook still makes the order', async () => {
    const { variantId } = await shop.product({ stock: 2 });
    const cart = await shop.cart();
    await shop.add(cart, variantId);
    const r = await shop.checkout(cart, CARDS.threeds);
    expect(r.status).toBe(202);
    expect(r.body.status).toBe('requires_action');
    const ref = nextActionRef(r);
    expect(await shop.stock(variantId)).toMatchObject({ reserved: 1, available: 1 });
    // A browser that lost that answer: checking out again is refused, /complete gives the same step again.
    expectProblem(await shop.checkout(cart, CARDS.threeds), 409, 'checkout-in-progress');
    const waiting = await shop.call('POST', `/store/carts/${cart.id}/complete`, undefined, cart.headers);
    expect(waiting.status).toBe(202);
    expect(waiting.body).toEqual({ status: 'requires_action', cartId: cart.id, nextAction: r.body.nextAction });
    await shop.ok('POST', `/payments/test/3ds/${ref}`, { succeed: true });
    await settle(async () => (await shop.ok('GET', `/store/carts/${cart.id}`, undefined, cart.headers)).status === 'completed');
    const done = await shop.call('POST', `/store/carts/${cart.id}/complete`, undefined, cart.headers);
    expect(done.status).toBe(201);
    expect(done.body).not.toHaveProperty('nextAction');
    await settle(async () => (await shop.stock(variantId)).committed === 1);
  });

  test('an authorization whose record a crash lost is found at the processor, and the shopper\'s return places the order', async () => {
    const { cart, ref } = await orphanedThreeDSecureCheckout(app, shop);
    await shop.ok('POST', `/payments/test/3ds/${ref}`, { succeed: true });
    const done = await shop.call('POST', `/store/carts/${cart.id}/complete`, undefined, cart.headers);
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    const [payment] = await selectRows<{ provider_ref: string; order_id: string }>(app.database.db, sql`select provider_ref, order_id from payments where provider_ref = ${ref}`);
    expect(payment).toEqual({ provider_ref: ref, order_id: done.body.orderId });
    await settle(async () => (await shop.order(done.body.orderId)).paymentStatus === 'captured');
  });

  test('the checkout\'s own authorization answer, arriving after its payment was adopted and the order placed, changes nothing', async () => {
    const { cart, ref } = await orphanedThreeDSecureCheckout(app, shop);
    await shop.ok('POST', `/payments/test/3ds/${ref}`, { succeed: true });
    const done = await shop.call('POST', `/store/carts/${cart.id}/complete`, undefined, cart.headers);
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    await settle(async () => (await shop.order(done.body.orderId)).paymentStatus === 'captured');
    const paymentOf = async () => (await selectRows<Record<string, unknown>>(app.database.db, sql`
      select id, status, provider_ref, order_id, captured_amount, next_action_type, next_action_url from payments where provider_ref = ${ref}`))[0] as Record<string, unknown>;
    const adopted = await paymentOf();
    // The request that opened the checkout outlived the orphan window; the processor's answer
    // to it (3-D Secure needed, as it was then) is recorded only now. Three at once: the first
    // alone, the other two in one statement (answers recorded together); none takes.
    const late = () => recordAuthorization(app.database, adopted.id as string, {
      ref, status: 'requires_action', card: { brand: 'visa', last4: '3220' }, nextAction: { type: 'three_d_secure', url: `https://processor.test/3ds/${ref}` },
    });
    expect(await Promise.all([late(), late(), late()])).toEqual([false, false, false]);
    expect(await paymentOf()).toEqual(adopted);
    expect(adopted).toMatchObject({ status: 'captured', next_action_type: null });
    // Nor does an order placed with others, where the answer is recorded with the order: the group gives up.
    const marked = await app.database.transaction((tx) => markAllAuthorized(tx, [{
      paymentId: adopted.id as string, orderId: adopted.order_id as string, answer: { ref, status: 'authorized', card: { brand: 'visa', last4: '3220' } },
    }]));
    expect(marked).toBe(false);
    expect(await paymentOf()).toEqual(adopted);
  });

  test('a plain checkout\'s payment keeps the processor\'s answer, recorded with the order: its reference, the brand and the last four digits', async () => {
    const { variantId } = await shop.product({ stock: 5 });
    const cart = await shop.cart();
    await shop.add(cart, variantId);
    const r = await shop.checkout(cart);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const [payment] = await selectRows<Record<string, unknown>>(app.database.db, sql`
      select status, order_id, card_brand, card_last4, provider_ref is not null as referenced from payments where order_id = ${r.body.orderId}`);
    expect(payment).toMatchObject({ status: expect.stringMatching(/^(authorized|captured)$/), order_id: r.body.orderId, card_brand: 'visa', card_last4: '4242', referenced: true });
  });

  test('a checkout whose hold was given back meanwhile holds the stock again for its order, or ends out of stock', async () => {
    const { variantId } = await shop.product({ stock: 1 });
    const releaseHold = async (cartId: string) => {
      const [cart] = await selectRows<{ checkout_id: string }>(app.database.db, sql`select checkout_id from carts where id = ${cartId}`);
      await app.database.transaction((tx) => releaseCheckout(tx, cart!.checkout_id, 'test'));
    };
    const first = await shop.cart();
    await shop.add(first, variantId);
    const waiting = await shop.checkout(first, CARDS.threeds);
    expect(waiting.status).toBe(202);
    await releaseHold(first.id);
    expect(await shop.stock(variantId)).toMatchObject({ reserved: 0, available: 1 });
    await shop.ok('POST', `/payments/test/3ds/${nextActionRef(waiting)}`, { succeed: true });
    const done = await shop.call('POST', `/store/carts/${first.id}/complete`, undefined, first.headers);
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    const held = await selectRows<{ status: string; order_id: string | null }>(app.database.db, sql`
      select r.status, r.order_id from inventory_reservations r join carts c on c.checkout_id = r.checkout_id where c.id = ${first.id} order by r.created_at`);
    expect(held).toEqual([{ status: 'released', order_id: null }, { status: expect.stringMatching(/^(active|committed)$/), order_id: done.body.orderId }]);
    await settle(async () => (await shop.stock(variantId)).committed === 1);
    expect(await shop.stock(variantId)).toMatchObject({ reserved: 0, committed: 1, available: 0 });

    // The same with the unit sold meanwhile: no order, the money goes back, the cart reopens.
    await shop.ok('POST', `/admin/inventory/${variantId}/adjustments`, { delta: 1, reason: 'received' }, actors.staff.headers);
    const second = await shop.cart();
    await shop.add(second, variantId);
    const late = await shop.checkout(second, CARDS.threeds);
    await releaseHold(second.id);
    const other = await shop.cart();
    await shop.add(other, variantId);
    expect((await shop.checkout(other)).status).toBe(201);
    await shop.ok('POST', `/payments/test/3ds/${nextActionRef(late)}`, { succeed: true });
    // The shopper's return or the processor's webhook, whichever comes first, finds the stock gone; the other finds no checkout.
    const refused = await shop.call('POST', `/store/carts/${second.id}/complete`, undefined, second.headers);
    expect(refused.status).toBe(409);
    expect(['/problems/out-of-stock', '/problems/no-checkout']).toContain(refused.body.type);
    expect((await shop.ok('GET', `/store/carts/${second.id}`, undefined, second.headers)).status).toBe('open');
    await settle(async () => (await selectRows<{ status: string }>(app.database.db, sql`select status from payments where provider_ref = ${nextActionRef(late)}`))[0]?.status === 'voided');
  });

  test('webhooks: forged or stale signatures are refused, unknown payments are retried later', async () => {
    expectProblem(await (async () => {
      const r = await app.http.inject({ method: 'POST', url: '/webhooks/payments/test', headers: { 'content-type': 'application/json', 'cloudmart-signature': 't=1,v1=' + '0'.repeat(64) }, payload: '{}' });
      return { status: r.statusCode, body: r.json(), headers: r.headers };
    })(), 400, 'invalid-signature');
    expect(await postWebhook(app, 'whsec_wrong', 'payment.authorized', 'tp_x')).toBe(400);
    const stale = `t=${Math.floor(Date.now() / 1000) - 3600},v1=`;
    expect(await postWebhook(app, SECRET, 'payment.authorized', 'tp_x', stale + '0'.repeat(64))).toBe(400);
    expect(await postWebhook(app, SECRET, 'payment.authorized', 'tp_00000000000000000000000000000000')).toBe(409);
    expect((await shop.call('POST', '/webhooks/payments/nope', '{}')).status).toBe(404);
  });

  test('staff: ship with tracking, deliver; illegal moves and over-refunds are refused; cancel returns stock and money', async () => {
    const { variantId } = await shop.product({ stock: 4, price: 1000 });
    const buy = async () => {
      const cart = await shop.cart();
      await shop.add(cart, variantId);
      const r = await shop.checkout(cart);
      await settle(async () => (await shop.order(r.body.orderId)).paymentStatus === 'captured' && (await shop.order(r.body.orderId)).status === 'paid');
      return r.body.orderId as string;
    };
    const staff = actors.staff.headers;
    const a = await buy();
    expectProblem(await shop.call('POST', `/admin/orders/${a}/deliver`, undefined, staff), 409, 'illegal-transition');
    expectProblem(await shop.call('POST', `/admin/orders/${a}/refunds`, { amount: 1001 }, staff), 422, 'refund-exceeds-capture');
    await shop.ok('POST', `/admin/orders/${a}/ship`, { carrier: 'UPS', trackingNumber: '1Z999' }, staff);
    await settle(async () => (await shop.stock(variantId)).onHand === 3);
    const delivered = await shop.ok('POST', `/admin/orders/${a}/deliver`, undefined, staff);
    expect(delivered.status).toBe('delivered');
    const partial = await shop.ok('POST', `/admin/orders/${a}/refunds`, { amount: 400 }, staff);
    expect(partial).toMatchObject({ paymentStatus: 'partially_refunded', refundedAmount: 400 });
    expectProblem(await shop.call('POST', `/admin/orders/${a}/refunds`, { amount: 601 }, staff), 422, 'refund-exceeds-capture');
    expectProblem(await shop.call('POST', `/admin/orders/${a}/cancel`, { reason: 'late' }, staff), 409, 'illegal-transition');

    const b = await buy();
    const cancelled = await shop.ok('POST', `/admin/orders/${b}/cancel`, { reason: 'customer asked' }, staff);
    expect(cancelled).toMatchObject({ status: 'cancelled', paymentStatus: 'refunded', refundedAmount: 1000 });
    expect(await shop.stock(variantId)).toMatchObject({ onHand: 3, committed: 0, reserved: 0, available: 3 });
    expectProblem(await shop.call('POST', `/admin/orders/${b}/fulfil`, undefined, staff), 409, 'illegal-transition');
    expect((await shop.call('POST', `/admin/orders/${b}/cancel`, { reason: 'x' }, actors.customer.headers)).status).toBe(403);
  });

  test('customers see their own orders only', async () => {
    const { variantId } = await shop.product({ stock: 2 });
    const cart = await shop.cart();
    await shop.add(cart, variantId);
    await shop.ok('POST', `/store/carts/${cart.id}/claim`, undefined, { ...cart.headers, ...actors.customer.headers });
    const r = await shop.checkout(cart);
    const mine = await shop.ok('GET', '/store/orders', undefined, actors.customer.headers);
    expect(mine.items.map((o: { id: string }) => o.id)).toContain(r.body.orderId);
    expect((await shop.ok('GET', `/store/orders/${r.body.orderId}`, undefined, actors.customer.headers)).lines).toHaveLength(1);
    expectProblem(await shop.call('GET', `/store/orders/${r.body.orderId}`, undefined, actors.otherCustomer.headers), 404, 'order-not-found');
    expect((await shop.ok('GET', '/store/orders', undefined, actors.otherCustomer.headers)).items).toEqual([]);
    expect((await shop.call('GET', '/store/orders')).status).toBe(401);
  });
});
