import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { OrderDeps } from '../src/modules/orders/deps.js';
import { requestRefund, resumeMoneyMovements } from '../src/modules/orders/payments.js';
import { StripePaymentProvider } from '../src/modules/payments/stripe.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createActors, type TestActors } from './support/actors.js';
import { startStripeStandIn, type StripeStandIn } from './support/stripe-server.js';
import { expectProblem, settle, shopClient, type Shop } from './checkout-support.js';

const KEY = 'sk_test_cloudmart';
const WHSEC = 'whsec_stripe_test';
let stripe: StripeStandIn;
let app: TestApp;
let actors: TestActors;
let shop: Shop;

/** The header exactly as Stripe documents it: t=<seconds>,v1=hex(HMAC-SHA256(secret, "<t>.<body>")). */
const stripeSignature = (body: string, secret = WHSEC, t = Math.floor(Date.now() / 1000)) =>
  `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
const intentEvent = (ref: string, type = 'payment_intent.amount_capturable_updated') =>
  JSON.stringify({ id: `evt_${randomBytes(8).toString('hex')}`, object: 'event', type, data: { object: { id: ref, object: 'payment_intent' } } });

beforeAll(async () => {
  stripe = await startStripeStandIn(KEY);
  app = await startTestApp({ env: { STRIPE_SECRET_KEY: KEY, STRIPE_WEBHOOK_SECRET: WHSEC, STRIPE_API_URL: stripe.url, TEST_PAYMENTS_WEBHOOK_DELAY_MS: '0' } });
  actors = await createActors(app);
  shop = shopClient(app, actors.staff.headers);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await stripe?.close();
});

const adapter = () => new StripePaymentProvider({ secretKey: KEY, webhookSecret: WHSEC, apiUrl: stripe.url, returnUrl: 'http://localhost/checkout/return' });
const newPaymentId = () => crypto.randomUUID();

describe('Stripe-Signature verification (Stripe\'s documented scheme)', () => {
  const body = intentEvent('pi_123');

  test('a header made by the documented scheme is accepted, also among several v1 (secret rotation) and a v0', () => {
    const p = adapter();
    expect(p.parseWebhook({ 'stripe-signature': stripeSignature(body) }, body)).toMatchObject({ type: 'payment_intent.amount_capturable_updated', ref: 'pi_123' });
    const t = Math.floor(Date.now() / 1000);
    const good = stripeSignature(body, WHSEC, t).split(',')[1];
    const rotated = `t=${t},v1=${createHmac('sha256', 'whsec_old').update(`${t}.${body}`).digest('hex')},${good},v0=${'a'.repeat(64)}`;
    expect(p.parseWebhook({ 'stripe-signature': rotated }, body).ref).toBe('pi_123');
    // charge.* events point at their PaymentIntent
    const charge = JSON.stringify({ id: 'evt_c', type: 'charge.refunded', data: { object: { id: 'ch_1', object: 'charge', payment_intent: 'pi_9' } } });
    expect(p.parseWebhook({ 'stripe-signature': stripeSignature(charge) }, charge).ref).toBe('pi_9');
  });

  test('forged, altered, stale, missing and malformed signatures are refused', () => {
    const p = adapter();
    const check = (header: string | undefined, raw = body) => () => p.parseWebhook({ 'stripe-signature': header }, raw);
    expect(check(stripeSignature(body, 'whsec_forged'))).toThrow(/mismatch/);
    expect(check(stripeSignature(body), body.replace('pi_123', 'pi_999'))).toThrow(/mismatch/);
    expect(check(stripeSignature(body, WHSEC, Math.floor(Date.now() / 1000) - 301))).toThrow(/stale/);
    expect(check(stripeSignature(body, WHSEC, Math.floor(Date.now() / 1000) - 290))).not.toThrow();
    expect(check(undefined)).toThrow(/missing/);
    expect(check('v1=abc')).toThrow(/malformed/);
    expect(check(`t=${Math.floor(Date.now() / 1000)}`)).toThrow(/malformed/);
  });

  test('POST /webhooks/payments/stripe: bad signatures are 400 problems, a good one is received', async () => {
    const post = async (raw: string, signature?: string) => {
      const r = await app.http.inject({ method: 'POST', url: '/webhooks/payments/stripe', headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) }, payload: raw });
      return { status: r.statusCode, body: JSON.parse(r.body), headers: r.headers };
    };
    for (const [signature, reason] of [
      [stripeSignature(body, 'whsec_forged'), 'mismatch'],
      [stripeSignature(body, WHSEC, Math.floor(Date.now() / 1000) - 3600), 'stale'],
      [undefined, 'missing'],
      ['t=abc,v1=zz', 'malformed'],
    ] as const) {
      const r = await post(body, signature);
      expectProblem(r, 400, 'invalid-signature');
      expect(r.body.reason).toBe(reason);
    }
    // Signed correctly but for a payment we do not know (yet): Stripe is told to send it again.
    expect((await post(body, stripeSignature(body))).status).toBe(409);
  });
});

describe('the adapter against a Stripe stand-in', () => {
  test('authorize: success, decline, insufficient funds, 3-D Secure; the payment id is the idempotency key', async () => {
    const p = adapter();
    const id = newPaymentId();
    const ok = await p.authorize({ paymentId: id, amount: 1500, currency: 'USD', token: 'pm_card_visa' });
    expect(ok).toMatchObject({ status: 'authorized', card: { brand: 'visa', last4: '4242' } });
    expect(ok.ref).toMatch(/^pi_/);
    const created = stripe.requests.filter((r) => r.path === '/v1/payment_intents' && r.idempotencyKey === id);
    expect(created[0]?.form).toMatchObject({ amount: '1500', currency: 'usd', capture_method: 'manual', confirm: 'true', 'metadata[payment_id]': id });
    expect((await p.authorize({ paymentId: id, amount: 1500, currency: 'USD', token: 'pm_card_visa' })).ref).toBe(ok.ref);
    expect(await p.authorize({ paymentId: newPaymentId(), amount: 100, currency: 'USD', token: 'pm_card_chargeDeclined' })).toMatchObject({ status: 'declined', failureCode: 'generic_decline' });
    expect(await p.authorize({ paymentId: newPaymentId(), amount: 100, currency: 'USD', token: 'pm_card_chargeDeclinedInsufficientFunds' })).toMatchObject({ status: 'declined', failureCode: 'insufficient_funds' });
    const threeds = await p.authorize({ paymentId: newPaymentId(), amount: 100, currency: 'USD', token: 'pm_card_threeDSecure2Required' });
    expect(threeds).toMatchObject({ status: 'requires_action', nextAction: { type: 'three_d_secure' } });
    expect(threeds.nextAction?.url).toContain(threeds.ref);
    stripe.authenticate(threeds.ref);
    expect((await p.retrieve(threeds.ref)).status).toBe('authorized');
    await expect(p.authorize({ paymentId: newPaymentId(), amount: 100, currency: 'USD', token: 'pm_nope' })).rejects.toThrow(/No such PaymentMethod/);
  });

  test('a payment is found by our payment id (Stripe search on the metadata), for an authorization whose answer was lost', async () => {
    const p = adapter();
    const id = newPaymentId();
    const ok = await p.authorize({ paymentId: id, amount: 1500, currency: 'USD', token: 'pm_card_visa' });
    expect(await p.findByPaymentId(id)).toMatchObject({ ref: ok.ref, status: 'authorized', amount: 1500 });
    expect(stripe.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/payment_intents/search', form: { query: `metadata['payment_id']:'${id}'` } });
    expect(await p.findByPaymentId(newPaymentId())).toBeNull();
  });

  test('capture, refund and void are idempotent: repeats never move money twice', async () => {
    const p = adapter();
    const { ref } = await p.authorize({ paymentId: newPaymentId(), amount: 2000, currency: 'EUR', token: 'pm_card_visa' });
    expect(await p.capture(ref, 1800)).toMatchObject({ status: 'captured', captured: 1800 });
    expect(await p.capture(ref, 1800)).toMatchObject({ status: 'captured', captured: 1800 });
    expect(await p.refund(ref, 500, 'r1')).toMatchObject({ refunded: 500 });
    expect(await p.refund(ref, 500, 'r1')).toMatchObject({ refunded: 500 });
    expect(await p.refund(ref, 300, 'r2')).toMatchObject({ refunded: 800 });
    await expect(p.refund(ref, 5000, 'r3')).rejects.toThrow(/greater than/);
    await expect(p.void(ref)).rejects.toThrow(/refund it instead/);
    expect(stripe.moves.filter((m) => m.intent === ref)).toEqual([
      { kind: 'capture', intent: ref, amount: 1800 }, { kind: 'refund', intent: ref, amount: 500 }, { kind: 'refund', intent: ref, amount: 300 },
    ]);
    const other = await p.authorize({ paymentId: newPaymentId(), amount: 700, currency: 'EUR', token: 'pm_card_visa' });
    expect((await p.void(other.ref)).status).toBe('voided');
    expect((await p.void(other.ref)).status).toBe('voided');
    await expect(p.capture(other.ref, 700)).rejects.toThrow(/could not be captured/);
  });

  test('a wrong secret key is a provider error, not a crash', async () => {
    const p = new StripePaymentProvider({ secretKey: 'sk_test_wrong', webhookSecret: WHSEC, apiUrl: stripe.url, returnUrl: 'http://x' });
    await expect(p.retrieve('pi_x')).rejects.toMatchObject({ code: 'api_key_invalid' });
  });
});

/** A one-line cart checked out with a Stripe test PaymentMethod; the answer, its cart and the variant. */
async function stripeCheckout(paymentToken: string, product: { stock: number; price?: number }, headers: Record<string, string> = {}) {
  const { variantId } = await shop.product(product);
  const cart = await shop.cart();
  await shop.add(cart, variantId);
  const r = await shop.call('POST', `/store/carts/${cart.id}/checkout`, { paymentToken, provider: 'stripe' }, { ...cart.headers, ...headers });
  return { r, cart, variantId };
}

describe('checkout with Stripe through the HTTP API', () => {
  test('an order is placed, captured at Stripe once, the webhook is received; cancel refunds at Stripe', async () => {
    const { r } = await stripeCheckout('pm_card_visa', { stock: 3, price: 2500 }, { 'idempotency-key': 'k1' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const orderId = r.body.orderId as string;
    await settle(async () => (await shop.order(orderId)).paymentStatus === 'captured');
    const intent = [...stripe.intents.values()].find((i) => i.amount === 2500 && i.status === 'succeeded');
    expect(intent).toBeDefined();
    const raw = intentEvent(intent!.id, 'payment_intent.succeeded');
    const hook = await app.http.inject({ method: 'POST', url: '/webhooks/payments/stripe', headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(raw) }, payload: raw });
    expect(hook.statusCode, hook.body).toBe(200);
    expect(JSON.parse(hook.body)).toMatchObject({ received: true, orderId });

    const cancelled = await shop.ok('POST', `/admin/orders/${orderId}/cancel`, { reason: 'customer asked' }, actors.staff.headers);
    expect(cancelled).toMatchObject({ status: 'cancelled', paymentStatus: 'refunded', refundedAmount: 2500 });
    expect(stripe.moves.filter((m) => m.intent === intent!.id)).toEqual([{ kind: 'capture', intent: intent!.id, amount: 2500 }, { kind: 'refund', intent: intent!.id, amount: 2500 }]);
  });

  test('3-D Secure: Stripe\'s own redirect URL is in the first answer and in /complete until the shopper passes it', async () => {
    const { r, cart } = await stripeCheckout('pm_card_threeDSecure2Required', { stock: 1, price: 3300 });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const intent = [...stripe.intents.values()].find((i) => i.amount === 3300 && i.status === 'requires_action')!;
    const nextAction = { type: 'three_d_secure', url: (intent.next_action as { redirect_to_url: { url: string } }).redirect_to_url.url };
    expect(nextAction.url).toMatch(/^https:\/\/hooks\.stripe\.test\//);
    expect(r.body).toEqual({ status: 'requires_action', cartId: cart.id, nextAction });

    const waiting = await shop.call('POST', `/store/carts/${cart.id}/complete`, undefined, cart.headers);
    expect(waiting.status).toBe(202);
    expect(waiting.body).toEqual({ status: 'requires_action', cartId: cart.id, nextAction });
    // Stripe's webhook while it waits makes no order (and is not to be resent).
    const early = intentEvent(intent.id, 'payment_intent.requires_action');
    const hook = await app.http.inject({ method: 'POST', url: '/webhooks/payments/stripe', headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(early) }, payload: early });
    expect(hook.statusCode, hook.body).toBe(200);
    expect(JSON.parse(hook.body)).toEqual({ received: true });

    stripe.authenticate(intent.id);
    const done = await shop.call('POST', `/store/carts/${cart.id}/complete`, undefined, cart.headers);
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    expect(done.body).toMatchObject({ status: 'completed', cartId: cart.id });
    expect(done.body).not.toHaveProperty('nextAction');
  });

  test('a declined Stripe card is a 402 and the stock goes back', async () => {
    const { r, variantId } = await stripeCheckout('pm_card_chargeDeclinedInsufficientFunds', { stock: 1 });
    expectProblem(r, 402, 'payment-declined');
    expect(r.body.code).toBe('insufficient_funds');
    expect(await shop.stock(variantId)).toMatchObject({ reserved: 0, available: 1 });
  });
});

describe('a refund cut short by a crash', () => {
  test('the pending refund is finished by the sweeper under the same key: Stripe moves the money once', async () => {
    const { r } = await stripeCheckout('pm_card_visa', { stock: 2, price: 1800 });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const orderId = r.body.orderId as string;
    await settle(async () => (await shop.order(orderId)).paymentStatus === 'captured');
    const intent = [...stripe.intents.values()].find((i) => i.amount === 1800 && i.status === 'succeeded')!;

    // Step 1 committed, the processor was called, then the process died before recording the result.
    const pending = await app.database.transaction((tx) => requestRefund(tx, orderId, { amount: 700, reason: 'crash test' }, null));
    await adapter().refund(intent.id, 700, pending.id);
    expect(await shop.order(orderId)).toMatchObject({ refundedAmount: 0, paymentStatus: 'captured' });
    // While it is pending, its amount is held: no second refund can take it.
    expectProblem(await shop.call('POST', `/admin/orders/${orderId}/refunds`, { amount: 1101 }, actors.staff.headers), 422, 'refund-exceeds-capture');

    const deps = { database: app.database, providers: new Map([['stripe', adapter()]]), logger: app.logger } as unknown as OrderDeps;
    expect(await resumeMoneyMovements(deps, 0)).toMatchObject({ refunds: 1 });
    expect(await resumeMoneyMovements(deps, 0)).toMatchObject({ refunds: 0 });
    const order = await shop.order(orderId);
    expect(order).toMatchObject({ refundedAmount: 700, paymentStatus: 'partially_refunded' });
    expect(order.timeline.filter((t: { kind: string }) => t.kind === 'refunded')).toHaveLength(1);
    expect(stripe.moves.filter((m) => m.intent === intent.id)).toEqual([{ kind: 'capture', intent: intent.id, amount: 1800 }, { kind: 'refund', intent: intent.id, amount: 700 }]);
  });
});
