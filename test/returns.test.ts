import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { selectRows } from '../src/platform/db/database.js';
import type { OrderDeps } from '../src/modules/orders/deps.js';
import { refundReturn } from '../src/modules/orders/returns.js';
import { ProviderError, type PaymentProvider } from '../src/modules/payments/provider.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createActors, type TestActors } from './support/actors.js';
import { expectProblem, settle, shopClient, type Shop } from './checkout-support.js';

let app: TestApp;
let actors: TestActors;
let shop: Shop;

beforeAll(async () => {
  app = await startTestApp({ env: { TEST_PAYMENTS_WEBHOOK_DELAY_MS: '0', TEST_PAYMENTS_WEBHOOK_DUPLICATE_PERCENT: '0' } });
  actors = await createActors(app);
  shop = shopClient(app, actors.staff.headers);
}, 60_000);
afterAll(async () => app?.close());

/** A customer buys, staff ship and deliver: the order a return starts from. */
async function deliveredOrder(s: Shop, a: TestActors, opts: { quantity?: number; price?: number; deliver?: boolean } = {}) {
  const { variantId } = await s.product({ stock: 10, price: opts.price ?? 1000 });
  const cart = await s.cart();
  await s.add(cart, variantId, opts.quantity ?? 2);
  await s.ok('POST', `/store/carts/${cart.id}/claim`, undefined, { ...cart.headers, ...a.customer.headers });
  const r = await s.checkout(cart);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const orderId = r.body.orderId as string;
  await settle(async () => {
    const o = await s.order(orderId);
    return o.status === 'paid' && o.paymentStatus === 'captured';
  });
  if (opts.deliver !== false) {
    await s.ok('POST', `/admin/orders/${orderId}/ship`, { carrier: 'DHL', trackingNumber: 'JD0001' }, a.staff.headers);
    await s.ok('POST', `/admin/orders/${orderId}/deliver`, undefined, a.staff.headers);
    // The shipment leaves the stock in a consumer of order.shipped: counted once it has.
    await settle(async () => {
      const stock = await s.stock(variantId);
      return stock.reserved === 0 && stock.committed === 0;
    });
  }
  const order = await s.order(orderId);
  return { orderId, variantId, lineId: order.lines[0].id as string, order };
}

describe('returns', () => {
  test('request → approve → receive (restock) → refund: stock back, money back, all on the timeline and the audit log', async () => {
    const { orderId, variantId, lineId } = await deliveredOrder(shop, actors, { quantity: 2, price: 1500 });
    const stockBefore = await shop.stock(variantId);
    const customer = actors.customer.headers;
    const staff = actors.staff.headers;

    const requested = await shop.call('POST', `/store/orders/${orderId}/returns`, { lines: [{ orderLineId: lineId, quantity: 1, reason: 'damaged', note: 'box crushed' }], note: 'sorry' }, customer);
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    expect(requested.body).toMatchObject({ orderId, status: 'requested', note: 'sorry', lines: [{ orderLineId: lineId, quantity: 1, reason: 'damaged', note: 'box crushed', restocked: false }] });
    const returnId = requested.body.id as string;
    expect((await shop.ok('GET', `/store/orders/${orderId}/returns`, undefined, customer)).items.map((r: { id: string }) => r.id)).toEqual([returnId]);
    expect((await shop.ok('GET', '/admin/returns?status=requested', undefined, staff)).items.map((r: { id: string }) => r.id)).toContain(returnId);

    expect(await shop.ok('POST', `/admin/returns/${returnId}/approve`, {}, staff)).toMatchObject({ status: 'approved' });
    const received = await shop.ok('POST', `/admin/returns/${returnId}/receive`, { lines: [{ id: requested.body.lines[0].id, restock: true }] }, staff);
    expect(received).toMatchObject({ status: 'received', lines: [{ restocked: true }] });
    const stockAfter = await shop.stock(variantId);
    expect(stockAfter.onHand).toBe(stockBefore.onHand + 1);

    const refunded = await shop.ok('POST', `/admin/returns/${returnId}/refund`, {}, staff);
    expect(refunded).toMatchObject({ status: 'refunded', refundedAmount: 1500 });
    const order = await shop.order(orderId);
    expect(order).toMatchObject({ status: 'delivered', paymentStatus: 'partially_refunded', capturedAmount: 3000, refundedAmount: 1500 });
    expect(order.timeline.map((t: { kind: string }) => t.kind)).toEqual(expect.arrayContaining(['return-requested', 'return-approved', 'return-received', 'refunded', 'return-refunded']));
    const audit = await shop.ok('GET', '/admin/audit-log?limit=500', undefined, actors.admin.headers);
    expect(audit.items.some((e: { action: string; data: { orderId?: string; amount?: number } }) => e.action === 'payment.refunded' && e.data.orderId === orderId && e.data.amount === 1500)).toBe(true);

    // The last unit can still be returned, but not a third one, and not twice.
    expectProblem(await shop.call('POST', `/store/orders/${orderId}/returns`, { lines: [{ orderLineId: lineId, quantity: 2, reason: 'no_longer_needed' }] }, customer), 422, 'return-quantity-exceeded');
    const second = await shop.ok('POST', `/store/orders/${orderId}/returns`, { lines: [{ orderLineId: lineId, quantity: 1, reason: 'no_longer_needed' }] }, customer);
    expectProblem(await shop.call('POST', `/store/orders/${orderId}/returns`, { lines: [{ orderLineId: lineId, quantity: 1, reason: 'other' }] }, customer), 422, 'return-quantity-exceeded');
    // Rejected: its units may be asked for again; no restock without receiving.
    expect(await shop.ok('POST', `/admin/returns/${second.id}/reject`, { reason: 'used item' }, staff)).toMatchObject({ status: 'rejected', decisionNote: 'used item' });
    expect((await shop.stock(variantId)).onHand).toBe(stockAfter.onHand);
    const third = await shop.ok('POST', `/store/orders/${orderId}/returns`, { lines: [{ orderLineId: lineId, quantity: 1, reason: 'defective' }] }, customer);
    await shop.ok('POST', `/admin/returns/${third.id}/approve`, {}, staff);
    // Damaged goods are received without going back on sale.
    const noRestock = await shop.ok('POST', `/admin/returns/${third.id}/receive`, { lines: [{ id: third.lines[0].id, restock: false }] }, staff);
    expect(noRestock.lines[0].restocked).toBe(false);
    expect((await shop.stock(variantId)).onHand).toBe(stockAfter.onHand);
    expect(await shop.ok('POST', `/admin/returns/${third.id}/refund`, { amount: 1200 }, staff)).toMatchObject({ status: 'refunded', refundedAmount: 1200 });
    expect(await shop.order(orderId)).toMatchObject({ refundedAmount: 2700, paymentStatus: 'partially_refunded' });
  });

  test('bad input: another customer, not delivered, unknown line, bad reason, illegal moves, refund above capture — precise 4xx, nothing half-written', async () => {
    const staff = actors.staff.headers;
    const customer = actors.customer.headers;
    const { orderId, lineId } = await deliveredOrder(shop, actors, { quantity: 1, price: 2000 });
    const body = { lines: [{ orderLineId: lineId, quantity: 1, reason: 'wrong_item' }] };

    expectProblem(await shop.call('POST', `/store/orders/${orderId}/returns`, body, actors.otherCustomer.headers), 404, 'order-not-found');
    expect((await shop.call('POST', `/store/orders/${orderId}/returns`, body)).status).toBe(401);
    expect((await shop.call('POST', `/store/orders/${orderId}/returns`, body, staff)).status).toBe(403);
    expectProblem(await shop.call('POST', `/store/orders/${orderId}/returns`, { lines: [{ orderLineId: '00000000-0000-7000-8000-000000000000', quantity: 1, reason: 'other' }] }, customer), 422, 'unknown-order-line');
    expect((await shop.call('POST', `/store/orders/${orderId}/returns`, { lines: [{ orderLineId: lineId, quantity: 1, reason: 'bored' }] }, customer)).status).toBe(422);
    expect((await shop.call('POST', `/store/orders/${orderId}/returns`, { lines: [{ orderLineId: lineId, quantity: 0, reason: 'other' }] }, customer)).status).toBe(422);
    expect((await shop.call('POST', `/store/orders/${orderId}/returns`, { lines: [] }, customer)).status).toBe(422);
    expectProblem(await shop.call('POST', `/store/orders/${orderId}/returns`, { lines: [{ orderLineId: lineId, quantity: 1, reason: 'other' }, { orderLineId: lineId, quantity: 1, reason: 'other' }] }, customer), 422, 'duplicate-return-line');
    expectProblem(await shop.call('POST', `/store/orders/${orderId}/returns`, { lines: [{ orderLineId: lineId, quantity: 2, reason: 'other' }] }, customer), 422, 'return-quantity-exceeded');
    expect((await shop.ok('GET', `/store/orders/${orderId}/returns`, undefined, customer)).items).toEqual([]);

    const paid = await deliveredOrder(shop, actors, { deliver: false });
    expectProblem(await shop.call('POST', `/store/orders/${paid.orderId}/returns`, { lines: [{ orderLineId: paid.lineId, quantity: 1, reason: 'other' }] }, customer), 409, 'order-not-delivered');

    const ret = await shop.ok('POST', `/store/orders/${orderId}/returns`, body, customer);
    expectProblem(await shop.call('POST', `/admin/returns/${ret.id}/refund`, {}, staff), 409, 'illegal-return-transition');
    expectProblem(await shop.call('POST', `/admin/returns/${ret.id}/receive`, {}, staff), 409, 'illegal-return-transition');
    expect((await shop.call('POST', `/admin/returns/${ret.id}/approve`, {}, customer)).status).toBe(403);
    await shop.ok('POST', `/admin/returns/${ret.id}/approve`, {}, staff);
    expectProblem(await shop.call('POST', `/admin/returns/${ret.id}/approve`, {}, staff), 409, 'illegal-return-transition');
    expectProblem(await shop.call('POST', `/admin/returns/${ret.id}/receive`, { lines: [{ id: '00000000-0000-7000-8000-000000000000', restock: true }] }, staff), 422, 'unknown-return-line');
    expect((await shop.ok('GET', `/admin/returns/${ret.id}`, undefined, staff)).status).toBe('approved');
    await shop.ok('POST', `/admin/returns/${ret.id}/receive`, {}, staff);

    // Refund above what was captured minus refunded: refused, and the return stays received with no refund under way.
    await shop.ok('POST', `/admin/orders/${orderId}/refunds`, { amount: 500 }, staff);
    const tooMuch = await shop.call('POST', `/admin/returns/${ret.id}/refund`, { amount: 1501 }, staff);
    expectProblem(tooMuch, 422, 'refund-exceeds-capture');
    expect(tooMuch.body.refundable).toBe(1500);
    expect(await shop.ok('GET', `/admin/returns/${ret.id}`, undefined, staff)).toMatchObject({ status: 'received', refundedAmount: 0 });
    expect(await shop.order(orderId)).toMatchObject({ refundedAmount: 500 });
    // The default amount (the line's value) is capped at what is left.
    expect(await shop.ok('POST', `/admin/returns/${ret.id}/refund`, {}, staff)).toMatchObject({ status: 'refunded', refundedAmount: 1500 });
    expect(await shop.order(orderId)).toMatchObject({ refundedAmount: 2000, paymentStatus: 'refunded' });
    expectProblem(await shop.call('POST', `/admin/returns/${ret.id}/refund`, {}, staff), 409, 'illegal-return-transition');
    expectProblem(await shop.call('GET', '/admin/returns/00000000-0000-7000-8000-000000000000', undefined, staff), 404, 'return-not-found');
  });

  test('outside the return window (counted from delivery) a request is refused', async () => {
    const closed = await startTestApp({ env: { RETURN_WINDOW_DAYS: '0', TEST_PAYMENTS_WEBHOOK_DELAY_MS: '0' } });
    try {
      const a = await createActors(closed);
      const s = shopClient(closed, a.staff.headers);
      const { orderId, lineId } = await deliveredOrder(s, a, { quantity: 1 });
      const r = await s.call('POST', `/store/orders/${orderId}/returns`, { lines: [{ orderLineId: lineId, quantity: 1, reason: 'other' }] }, a.customer.headers);
      expectProblem(r, 422, 'return-window-closed');
      expect(r.body).toMatchObject({ windowDays: 0 });
      expect((await s.ok('GET', `/store/orders/${orderId}/returns`, undefined, a.customer.headers)).items).toEqual([]);
    } finally {
      await closed.close();
    }
  }, 60_000);

  /** 3 × 999 at 20 % off with 10 % tax, delivered; and a way to send back units of its line, received. */
  async function discountedTaxedLine(taxed: TestApp) {
    const people = await createActors(taxed);
    const s = shopClient(taxed, people.staff.headers);
    const code = `RET${Date.now()}`;
    await s.ok('POST', '/admin/promotions', { title: 'Twenty off', code, kind: 'percentage', value: 2000 }, people.staff.headers);
    const { variantId } = await s.product({ stock: 10, price: 999 });
    const cart = await s.cart();
    await s.add(cart, variantId, 3);
    await s.ok('POST', `/store/carts/${cart.id}/promotions`, { code }, cart.headers);
    await s.ok('POST', `/store/carts/${cart.id}/claim`, undefined, { ...cart.headers, ...people.customer.headers });
    const r = await s.checkout(cart);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const orderId = r.body.orderId as string;
    await settle(async () => (await s.order(orderId)).paymentStatus === 'captured');
    await s.ok('POST', `/admin/orders/${orderId}/ship`, { carrier: 'DHL', trackingNumber: 'JD0002' }, people.staff.headers);
    await s.ok('POST', `/admin/orders/${orderId}/deliver`, undefined, people.staff.headers);
    const order = await s.order(orderId);
    // 3 × 999 = 2997, 20 % off = 599 (half-up), net 2398, 10 % tax on it = 240: the line costs 2638.
    expect(order).toMatchObject({ subtotal: 2997, discount: 599, tax: 240, total: 2638, capturedAmount: 2638 });
    const lineId = order.lines[0].id as string;
    const received = async (quantity: number) => {
      const ret = await s.ok('POST', `/store/orders/${orderId}/returns`, { lines: [{ orderLineId: lineId, quantity, reason: 'no_longer_needed' }] }, people.customer.headers);
      await s.ok('POST', `/admin/returns/${ret.id}/approve`, {}, people.staff.headers);
      await s.ok('POST', `/admin/returns/${ret.id}/receive`, { lines: [{ id: ret.lines[0].id, restock: true }] }, people.staff.headers);
      return ret.id as string;
    };
    const refund = async (returnId: string) => (await s.ok('POST', `/admin/returns/${returnId}/refund`, {}, people.staff.headers)).refundedAmount as number;
    return { s, orderId, received, refund, staff: people.staff.headers };
  }
  const taxedEnv = { TAX_RATE_BPS: '1000', TEST_PAYMENTS_WEBHOOK_DELAY_MS: '0', TEST_PAYMENTS_WEBHOOK_DUPLICATE_PERCENT: '0' };

  test('a returned unit is refunded what the shopper paid for it: its share of the line after discount, with the tax it carried', async () => {
    const taxed = await startTestApp({ env: taxedEnv });
    try {
      const { s, orderId, received, refund } = await discountedTaxedLine(taxed);
      // One unit of three: a third of 2638, rounded half-up; not its 999 list price.
      expect(await refund(await received(1))).toBe(879);
      // The other two: the rest of the line exactly, so the returns add up to what was paid.
      expect(await refund(await received(2))).toBe(1759);
      expect(await s.order(orderId)).toMatchObject({ refundedAmount: 2638, paymentStatus: 'refunded' });

      // Migration 0017 gives returns refunded before it the places they were valued at.
      const valued = () => selectRows<{ quantity: number; valued_from: number | null }>(taxed.database.db, sql`
        select l.quantity, l.valued_from from order_return_lines l join order_lines ol on ol.id = l.order_line_id where ol.order_id = ${orderId} order by l.valued_from`);
      expect(await valued()).toEqual([{ quantity: 1, valued_from: 0 }, { quantity: 2, valued_from: 1 }]);
      await taxed.database.db.execute(sql`update order_return_lines set valued_from = null`);
      const backfill = readFileSync(new URL('../drizzle/0017_return_lines_valued_from.sql', import.meta.url), 'utf8').split('--> statement-breakpoint')[1]!;
      await taxed.database.db.execute(sql.raw(backfill));
      expect(await valued()).toEqual([{ quantity: 1, valued_from: 0 }, { quantity: 2, valued_from: 1 }]);
    } finally {
      await taxed.close();
    }
  }, 60_000);

  test('returns of one line refunded at the same time still add up to exactly what the line cost', async () => {
    const taxed = await startTestApp({ env: taxedEnv });
    try {
      const { s, orderId, received, refund } = await discountedTaxedLine(taxed);
      const [first, second, third] = [await received(1), await received(1), await received(1)];
      // Each refund counts the units of the line whose refund is already on its way, not only those done.
      const together = await Promise.all([refund(first), refund(second)]);
      expect(together.sort()).toEqual([879, 880]);
      expect(await refund(third)).toBe(879);
      expect(await s.order(orderId)).toMatchObject({ refundedAmount: 2638, paymentStatus: 'refunded' });
    } finally {
      await taxed.close();
    }
  }, 60_000);

  test('a return whose refund the processor refused takes back its own share when retried, so the line still adds up', async () => {
    const taxed = await startTestApp({ env: taxedEnv });
    try {
      const { s, orderId, received, refund, staff } = await discountedTaxedLine(taxed);
      const [first, second, third] = [await received(1), await received(1), await received(1)];
      // The first refund is on its way at the processor, which takes its time and then refuses it.
      let refuse!: () => void;
      const answered = new Promise<void>((resolve) => {
        refuse = resolve;
      });
      const refusing = { name: 'test', refund: async () => {
        await answered;
        throw new ProviderError('refund_declined', 'The refund was declined');
      } } as unknown as PaymentProvider;
      const deps = { database: taxed.database, providers: new Map([['test', refusing]]), logger: taxed.logger } as unknown as OrderDeps;
      const firstRefund = refundReturn(deps, first, {}, null).then(() => 'refunded', (e: { status?: number }) => e.status);
      await settle(async () => (await s.call('POST', `/admin/returns/${first}/refund`, {}, staff)).body?.refundId !== undefined);
      // Counted as on its way, the first unit's share (879) is not the second's: it takes the next (880).
      expect(await refund(second)).toBe(880);
      refuse();
      expect(await firstRefund).toBe(502);
      expect(await s.ok('GET', `/admin/returns/${first}`, undefined, staff)).toMatchObject({ status: 'received', refundedAmount: 0 });
      // Retried, the first return is worth the share it was valued at, not the second's again.
      expect(await refund(first)).toBe(879);
      expect(await refund(third)).toBe(879);
      expect(await s.order(orderId)).toMatchObject({ refundedAmount: 2638, paymentStatus: 'refunded' });
    } finally {
      await taxed.close();
    }
  }, 60_000);
});
