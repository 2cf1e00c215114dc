import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CAPTURE_RESUME_AFTER_MS } from '../src/modules/orders/capture.js';
import { refundCancelledCapture } from '../src/modules/orders/payments.js';
import { selectRows } from '../src/platform/db/database.js';
import { verifyAuditChain } from '../src/platform/security/audit.js';
import { createActors, type TestActors } from './support/actors.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { CARDS, settle, shopClient, type Shop } from './checkout-support.js';

/**
 * Automatic capture (PAYMENT_CAPTURE=immediate) as refunds do it: the order.placed consumer
 * writes the intent, the processor is called once that transaction committed, the answer is
 * recorded in its own transaction, and an intent a crash left behind is sent by the sweeper.
 */
interface Running { app: TestApp; actors: TestActors; shop: Shop }
const start = async (env: Record<string, string> = {}): Promise<Running> => {
  const app = await startTestApp({ env: { TEST_PAYMENTS_WEBHOOK_DELAY_MS: '0', RESERVATION_TTL_SECONDS: '2', ...env } });
  const actors = await createActors(app);
  return { app, actors, shop: shopClient(app, actors.staff.headers) };
};
const intentOf = async (app: TestApp, orderId: string) =>
  (await selectRows<{ status: string; amount: number; failure_code: string | null }>(app.database.db, sql`select status, amount::int as amount, failure_code from order_captures where order_id = ${orderId}`))[0];
const kinds = (order: { timeline: { kind: string }[] }) => order.timeline.map((t) => t.kind);

describe('automatic capture', () => {
  let s: Running;
  beforeAll(async () => {
    s = await start();
  }, 60_000);
  afterAll(async () => s?.app.close());

  async function buy(card: string) {
    const { variantId } = await s.shop.product({ stock: 5, price: 1500 });
    const cart = await s.shop.cart();
    await s.shop.add(cart, variantId, 2);
    const r = await s.shop.checkout(cart, card);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return { variantId, orderId: r.body.orderId as string };
  }

  test('the consumer records the intent, the processor captures after it committed, the capture is recorded once', async () => {
    const started = Date.now();
    const { variantId, orderId } = await buy(CARDS.ok);
    await settle(async () => (await s.shop.order(orderId)).paymentStatus === 'captured');
    // Sent on the consumer's commit, not left for the sweeper (which waits CAPTURE_RESUME_AFTER_MS).
    expect(Date.now() - started).toBeLessThan(CAPTURE_RESUME_AFTER_MS);
    const order = await s.shop.order(orderId);
    expect(order).toMatchObject({ status: 'paid', capturedAmount: 3000 });
    expect(kinds(order).filter((k) => k === 'payment-captured')).toHaveLength(1);
    expect(await intentOf(s.app, orderId)).toMatchObject({ status: 'captured', amount: 3000, failure_code: null });
    expect(await s.shop.stock(variantId)).toMatchObject({ onHand: 5, committed: 2, reserved: 0 });
  });

  test('a cancelled order whose capture is already on its way back is not refunded twice (the late void and the winning capture both find it)', async () => {
    const { orderId } = await buy(CARDS.ok);
    await settle(async () => (await s.shop.order(orderId)).paymentStatus === 'captured');
    await s.shop.ok('POST', `/admin/orders/${orderId}/cancel`, { reason: 'customer asked' }, s.actors.staff.headers);
    await settle(async () => (await s.shop.order(orderId)).refundedAmount === 3000);
    // The second path to reach the capture: nothing is left to send back, and nothing fails.
    expect(await s.app.database.transaction((tx) => refundCancelledCapture(tx, orderId, null))).toBeNull();
    const refunds = await selectRows<{ amount: number }>(s.app.database.db, sql`select amount::int as amount from payment_refunds where order_id = ${orderId}`);
    expect(refunds).toEqual([{ amount: 3000 }]);
  });

  test('cancelling an order with a refund still on its way sends back only the rest', async () => {
    const { orderId } = await buy(CARDS.ok);
    await settle(async () => (await s.shop.order(orderId)).paymentStatus === 'captured');
    const [{ paymentId }] = await selectRows<{ paymentId: string }>(s.app.database.db, sql`select payment_id as "paymentId" from orders where id = ${orderId}`) as [{ paymentId: string }];
    // Staff asked to refund 1,000 and the processor has not answered yet (the call was cut short: the sweeper resends it in a minute).
    await s.app.database.db.execute(sql`insert into payment_refunds (id, payment_id, order_id, amount, reason) values (gen_random_uuid(), ${paymentId}, ${orderId}, 1000, 'goodwill')`);
    const cancel = await s.shop.call('POST', `/admin/orders/${orderId}/cancel`, { reason: 'customer asked' }, s.actors.staff.headers);
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    const refunds = await selectRows<{ amount: number; status: string }>(s.app.database.db, sql`select amount::int as amount, status from payment_refunds where order_id = ${orderId} order by amount`);
    expect(refunds).toEqual([{ amount: 1000, status: 'pending' }, { amount: 2000, status: 'succeeded' }]);
  });

  test('a capture the processor refuses: stock back, order cancelled with the reason, authorization voided, customer told', async () => {
    const { variantId, orderId } = await buy(CARDS.nocapture);
    await settle(async () => {
      const o = await s.shop.order(orderId);
      return o.status === 'cancelled' && o.paymentStatus === 'voided';
    });
    const order = await s.shop.order(orderId);
    expect(order).toMatchObject({ capturedAmount: 0, refundedAmount: 0 });
    expect(kinds(order)).not.toContain('payment-captured');
    expect(order.timeline.find((t: { kind: string }) => t.kind === 'cancelled')?.message).toContain('payment could not be captured (capture_declined)');
    expect(await intentOf(s.app, orderId)).toMatchObject({ status: 'failed', failure_code: 'capture_declined' });
    expect(await s.shop.stock(variantId)).toMatchObject({ onHand: 5, committed: 0, reserved: 0, available: 5 });
    await settle(async () => (await selectRows(s.app.database.db, sql`select 1 from notifications where order_id = ${orderId} and template = 'order-cancelled'`)).length === 1);
    expect(await selectRows(s.app.database.db, sql`select consumer, error from dead_letters`)).toEqual([]);
  });
});

describe('intents a crash left behind', () => {
  let s: Running;
  // Captured at fulfilment, so no consumer writes intents: the test writes them as a crash after the consumer's commit leaves them.
  beforeAll(async () => {
    s = await start({ PAYMENT_CAPTURE: 'on-fulfilment' });
  }, 60_000);
  afterAll(async () => s?.app.close());

  const placed = async () => {
    const { variantId } = await s.shop.product({ stock: 3, price: 800 });
    const cart = await s.shop.cart();
    await s.shop.add(cart, variantId);
    const r = await s.shop.checkout(cart);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const orderId = r.body.orderId as string;
    await settle(async () => (await s.shop.order(orderId)).status === 'paid');
    return orderId;
  };
  const leftBehind = (orderId: string) => s.app.database.db.execute(sql`
    insert into order_captures (order_id, amount, created_at, updated_at) values (${orderId}, 800, now() - interval '1 minute', now() - interval '1 minute')`);

  test('the sweeper sends a pending intent to the processor and records the capture', async () => {
    const orderId = await placed();
    expect((await s.shop.order(orderId)).paymentStatus).toBe('authorized');
    await leftBehind(orderId);
    await settle(async () => (await intentOf(s.app, orderId))?.status === 'captured');
    expect(await s.shop.order(orderId)).toMatchObject({ status: 'paid', paymentStatus: 'captured', capturedAmount: 800 });
  });

  test('an intent of an order staff cancelled meanwhile is skipped: nothing captured, the authorization voided', async () => {
    const orderId = await placed();
    await s.shop.ok('POST', `/admin/orders/${orderId}/cancel`, { reason: 'customer asked' }, s.actors.staff.headers);
    await leftBehind(orderId);
    await settle(async () => (await intentOf(s.app, orderId))?.status === 'skipped');
    expect(await s.shop.order(orderId)).toMatchObject({ status: 'cancelled', paymentStatus: 'voided', capturedAmount: 0 });
  });
});

describe('captures of orders placed together', () => {
  let s: Running;
  // No background work at first: the orders' events pile up, as under load, and reach the capture consumer as one run.
  beforeAll(async () => {
    const app = await startTestApp({ env: { TEST_PAYMENTS_WEBHOOK_DELAY_MS: '0' }, background: false });
    const actors = await createActors(app);
    s = { app, actors, shop: shopClient(app, actors.staff.headers) };
  }, 60_000);
  afterAll(async () => s?.app.close());

  const placeSome = async (count: number) => {
    const { variantId } = await s.shop.product({ stock: 20, price: 700 });
    const ids: string[] = [];
    for (let n = 0; n < count; n++) {
      const cart = await s.shop.cart();
      await s.shop.add(cart, variantId);
      const r = await s.shop.checkout(cart);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids.push(r.body.orderId as string);
    }
    return ids;
  };
  const capturedNotes = async (ids: string[]) => selectRows<{ order_id: string; at: string }>(s.app.database.db, sql`
    select order_id, at::text as at from order_timeline where kind = 'payment-captured' and order_id in ${ids}`);
  // On NATS the stream holds the events before the consumers start (as after a worker's downtime), so they arrive together.
  const everythingPublished = async () => {
    if (s.app.bus.kind !== 'nats') return;
    s.app.relay.start();
    await settle(async () => (await selectRows<{ n: number }>(s.app.database.db, sql`select count(*)::int as n from outbox where published_at is null`))[0]?.n === 0);
  };
  const allCaptured = (ids: string[]) => async () => (await capturedNotes(ids)).length === ids.length;

  test('a run of captures is recorded in one transaction, each once, the audit chain unbroken', async () => {
    const ids = await placeSome(4);
    await everythingPublished();
    await s.app.startBackground();
    await settle(allCaptured(ids));
    const notes = await capturedNotes(ids);
    // One transaction, one now(); NATS may hand the run over in two reads of its socket.
    expect(new Set(notes.map((n) => n.at)).size).toBeLessThanOrEqual(s.app.bus.kind === 'nats' ? 2 : 1);
    for (const id of ids) expect(await s.shop.order(id)).toMatchObject({ paymentStatus: 'captured', capturedAmount: 700 });
    const audited = await selectRows<{ n: number }>(s.app.database.db, sql`
      select count(*)::int as n from audit_log where action = 'payment.captured' and data->>'orderId' in ${ids}`);
    expect(audited[0]?.n).toBe(4);
    expect(await verifyAuditChain(s.app.database.db)).toMatchObject({ ok: true });
  });

  test('an order whose capture cannot be recorded stays pending alone; the rest of its run are recorded', async () => {
    await s.app.close();
    const app = await startTestApp({ env: { TEST_PAYMENTS_WEBHOOK_DELAY_MS: '0' }, background: false });
    const actors = await createActors(app);
    s = { app, actors, shop: shopClient(app, actors.staff.headers) };
    const ids = await placeSome(3);
    await everythingPublished();
    const [poisoned] = await selectRows<{ payment_id: string }>(app.database.db, sql`select payment_id from orders where id = ${ids[1]}`);
    // A fault in the database itself, for one payment: its capture cannot be written.
    await app.database.db.execute(sql.raw(`create function refuse_capture() returns trigger language plpgsql as $$ begin raise exception 'capture refused for this test'; end $$`));
    await app.database.db.execute(sql.raw(`create trigger refuse_capture before update on payments for each row
      when (new.id = '${poisoned?.payment_id}' and new.status = 'captured') execute function refuse_capture()`));
    await app.startBackground();
    const others = [ids[0], ids[2]] as string[];
    await settle(allCaptured(others));
    expect(await s.shop.order(ids[1] as string)).toMatchObject({ paymentStatus: 'authorized', capturedAmount: 0 });
    expect(await intentOf(app, ids[1] as string)).toMatchObject({ status: 'pending' });
    for (const id of others) expect(await intentOf(app, id)).toMatchObject({ status: 'captured' });
  });
});
