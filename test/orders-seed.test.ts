import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ordersSeeder } from '../src/modules/orders/seed-orders.js';
import { regionsSeeder } from '../src/modules/regions/seed.js';
import { selectRows } from '../src/platform/db/database.js';
import { verifyAuditChain } from '../src/platform/security/audit.js';
import { runSeeders } from '../src/platform/seed.js';
import { createActor } from './support/actors.js';
import { shopClient } from './checkout-support.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** The demo order history: two years that look like a shop's (weekends, November sales, December), kept by the same invariants as live orders. */
const ORDERS = 3000;
let app: TestApp;
let seconds = 0;
const rows = <T>(query: ReturnType<typeof sql>) => selectRows<T>(app.database.db, query);

beforeAll(async () => {
  app = await startTestApp();
  const shop = shopClient(app, (await createActor(app, 'staff')).headers);
  for (let i = 0; i < 30; i++) await shop.product({ stock: 0, price: 900 + i * 150 });
  const quiet = new Writable({ write: (_c, _e, done) => done() }) as unknown as NodeJS.WriteStream;
  const started = Date.now();
  await runSeeders(app.database, [regionsSeeder, { ...ordersSeeder, after: ['regions'] }], { seed: 11, sizes: { orders: ORDERS, customers: 12 }, logger: app.logger, stream: quiet });
  seconds = (Date.now() - started) / 1000;
}, 180_000);
afterAll(async () => app?.close());

test('the history has weekly and yearly seasonality', async () => {
  console.info(`seeded ${ORDERS} orders in ${seconds.toFixed(1)} s`);
  const byDay = await rows<{ dow: number; n: string; days: string }>(sql`
    select extract(dow from created_at at time zone 'UTC')::int as dow, count(*) as n, count(distinct (created_at at time zone 'UTC')::date) as days from orders group by 1`);
  const perDay = (d: number) => { const r = byDay.find((x) => x.dow === d); return Number(r?.n) / Number(r?.days); };
  expect((perDay(0) + perDay(6)) / (perDay(2) + perDay(3))).toBeGreaterThan(1.3);
  const [season] = await rows<{ december: string; rest: string }>(sql`
    select avg(n) filter (where m = 12 and d <= 23) as december, avg(n) filter (where m between 2 and 10) as rest
    from (select extract(month from day)::int as m, extract(day from day)::int as d, n
          from (select (created_at at time zone 'UTC')::date as day, count(*) as n from orders group by 1) days) x`);
  expect(Number(season?.december) / Number(season?.rest)).toBeGreaterThan(1.6);
  const [span] = await rows<{ first: string; last: string }>(sql`select min(created_at) as first, max(created_at) as last from orders`);
  expect((Date.parse(String(span?.last)) - Date.parse(String(span?.first))) / 86_400_000).toBeGreaterThan(700);
});

test('numbers are gapless in time order, money adds up and every movement is on record', async () => {
  const numbers = await rows<{ number: string }>(sql`select number from orders order by created_at, number`);
  expect(numbers.map((r) => Number(r.number))).toEqual(numbers.map((_, i) => 1001 + i));
  expect(await rows(sql`
    select o.id from orders o join payments p on p.id = o.payment_id
    where o.total <> o.shipping + (select sum(line_total) from order_lines l where l.order_id = o.id)
       or p.order_id <> o.id or p.captured_amount <> o.captured_amount or p.refunded_amount <> o.refunded_amount
       or o.refunded_amount <> coalesce((select sum(amount) from payment_refunds r where r.order_id = o.id and r.status = 'succeeded'), 0)`)).toEqual([]);
  const [mix] = await rows<{ refunded: string; partial: string; cancelled: string; open: string }>(sql`
    select count(*) filter (where payment_status = 'refunded') as refunded, count(*) filter (where payment_status = 'partially_refunded') as partial,
           count(*) filter (where status = 'cancelled') as cancelled, count(*) filter (where status in ('paid', 'fulfilled', 'shipped')) as open from orders`);
  for (const n of Object.values(mix ?? {})) expect(Number(n)).toBeGreaterThan(0);
  // Events as they happened: one order.placed per order at its time, stored as already published history.
  const [events] = await rows<{ placed: string; same_time: string; unpublished: string }>(sql`
    select count(*) as placed, count(*) filter (where e.occurred_at = o.created_at) as same_time, count(*) filter (where e.published_at is null) as unpublished
    from outbox e join orders o on o.id::text = e.aggregate_id where e.type = 'order.placed'`);
  expect(Object.values(events ?? {}).map(Number)).toEqual([ORDERS, ORDERS, 0]);
  const timeline = await rows<{ id: string }>(sql`
    select o.id from orders o where o.status = 'delivered' and (select count(distinct kind) from order_timeline t where t.order_id = o.id
      and kind in ('placed', 'paid', 'payment-captured', 'fulfilled', 'shipped', 'delivered')) <> 6
    union all select t.order_id from order_timeline t join orders o on o.id = t.order_id where t.at < o.created_at or t.at > now()`);
  expect(timeline).toEqual([]);
  const report = await verifyAuditChain(app.database.db);
  expect(report.ok).toBe(true);
  const [audited] = await rows<{ captures: string; captured: string; refunded: string }>(sql`
    select sum((data->>'captures')::int) as captures, sum((data->>'captured')::bigint) as captured, sum((data->>'refunded')::bigint) as refunded from audit_log where action = 'payments.seeded'`);
  const [money] = await rows<{ captured: string; refunded: string }>(sql`select sum(captured_amount) as captured, sum(refunded_amount) as refunded from orders`);
  expect([audited?.captures, audited?.captured, audited?.refunded].map(Number)).toEqual([ORDERS, Number(money?.captured), Number(money?.refunded)]);
});

test('tax and shipping are the region\'s, as checkout prices them: sales tax in Texas and Washington, standard shipping free from 50 USD', async () => {
  const [mix] = await rows<{ taxed: string; untaxed_elsewhere: string; wrongly_taxed: string; paid_shipping: string; free_shipping: string; odd_shipping: string; standard_over_threshold: string }>(sql`
    select count(*) filter (where tax > 0) as taxed,
           count(*) filter (where tax = 0 and shipping_address->>'region' not in ('TX', 'WA')) as untaxed_elsewhere,
           count(*) filter (where (tax > 0) <> (shipping_address->>'region' in ('TX', 'WA'))) as wrongly_taxed,
           count(*) filter (where shipping > 0) as paid_shipping, count(*) filter (where shipping = 0) as free_shipping,
           count(*) filter (where shipping not in (0, 595, 1295, 1995, 3995)) as odd_shipping,
           count(*) filter (where shipping = 595 and subtotal - discount >= 5000) as standard_over_threshold
    from orders`);
  expect(Number(mix?.taxed)).toBeGreaterThan(0);
  expect(Number(mix?.untaxed_elsewhere)).toBeGreaterThan(0);
  expect(Number(mix?.paid_shipping)).toBeGreaterThan(0);
  expect(Number(mix?.free_shipping)).toBeGreaterThan(0);
  expect([mix?.wrongly_taxed, mix?.odd_shipping, mix?.standard_over_threshold].map(Number)).toEqual([0, 0, 0]);
});

test('stock adds up: what arrived is on the shelf, committed to open orders or shipped', async () => {
  const broken = await rows(sql`
    with received as (select variant_id, sum(delta) as units from inventory_adjustments group by 1),
         sold as (select l.variant_id,
                         sum(l.quantity) filter (where o.status in ('shipped', 'delivered')) as shipped,
                         sum(l.quantity) filter (where o.status in ('paid', 'fulfilled')) as committed
                  from order_lines l join orders o on o.id = l.order_id group by 1)
    select s.variant_id, r.units, s.shipped, s.committed, v.on_hand, v.committed as level_committed, v.reserved
    from sold s join received r using (variant_id) join inventory_levels v using (variant_id)
    where v.on_hand <> r.units - coalesce(s.shipped, 0) or v.committed <> coalesce(s.committed, 0) or v.reserved <> 0 or v.on_hand < v.committed`);
  expect(broken).toEqual([]);
  const [holds] = await rows<{ n: string }>(sql`
    select count(*) as n from inventory_reservations r join orders o on o.id = r.order_id
    where r.status <> case when o.status = 'cancelled' then 'released' when o.status in ('paid', 'fulfilled') then 'committed' else 'shipped' end`);
  expect(Number(holds?.n)).toBe(0);
});

test('promotions: discounts add up as a checkout writes them, and each promotion counts the orders that used it', async () => {
  const [mix] = await rows<{ automatic: string; coded: string; released: string }>(sql`
    select count(*) filter (where p.code is null) as automatic, count(*) filter (where p.code is not null) as coded, count(*) filter (where r.status = 'released') as released
    from promotion_redemptions r join promotions p on p.id = r.promotion_id`);
  for (const n of Object.values(mix ?? {})) expect(Number(n)).toBeGreaterThan(0);
  expect(await rows(sql`
    select o.id from orders o
    where o.total <> o.subtotal - o.discount + o.shipping + case when o.tax_inclusive then 0 else o.tax end
       or o.total <> (select sum(line_total) from order_lines l where l.order_id = o.id) + o.shipping
       or o.discount <> coalesce((select sum(amount) from promotion_redemptions r where r.order_id = o.id), 0)
       or exists (select 1 from promotion_redemptions r where r.order_id = o.id and (r.status = 'released') <> (o.status = 'cancelled'))`)).toEqual([]);
  expect(await rows(sql`
    select p.code, p.title, p.used from promotions p
    where p.used <> (select count(*) from promotion_redemptions r where r.promotion_id = p.id and r.status = 'redeemed')
       or exists (select 1 from promotion_redemptions r join orders o on o.id = r.order_id
                  where r.promotion_id = p.id and (o.created_at < coalesce(p.starts_at, o.created_at) or o.created_at >= coalesce(p.ends_at, 'infinity')))`)).toEqual([]);
  const [events] = await rows<{ redeemed: string; released: string }>(sql`
    select count(*) filter (where type = 'promotion.redeemed') as redeemed, count(*) filter (where type = 'promotion.released') as released from outbox`);
  const [redemptions] = await rows<{ all: string; released: string }>(sql`select count(*) as all, count(*) filter (where status = 'released') as released from promotion_redemptions`);
  expect([events?.redeemed, events?.released].map(Number)).toEqual([redemptions?.all, redemptions?.released].map(Number));
});

test('returns: every stage is there, written as the returns path writes it, with refunds and restocked units on record', async () => {
  const stages = await rows<{ status: string; n: string }>(sql`select status, count(*) as n from order_returns group by 1`);
  console.info(`returns: ${stages.map((s) => `${s.n} ${s.status}`).join(', ')}`);
  expect(stages.map((s) => s.status).sort()).toEqual(['approved', 'received', 'refunded', 'rejected', 'requested']);
  // A return is of a customer's delivered order, within what was bought; its timeline and events follow its path.
  expect(await rows(sql`
    select r.id from order_returns r join orders o on o.id = r.order_id
    where o.status <> 'delivered' or o.customer_id is distinct from r.customer_id or r.customer_id is null
       or exists (select 1 from order_return_lines l join order_lines ol on ol.id = l.order_line_id where l.return_id = r.id and (l.quantity > ol.quantity or ol.order_id <> o.id))
       or (select count(*) from order_timeline t where t.order_id = o.id and t.kind like 'return-%' and t.data->>'returnId' = r.id::text)
          <> (select count(*) from outbox e where e.aggregate_id = r.id::text and e.type like 'return.%')
       or (select count(*) from outbox e where e.aggregate_id = r.id::text and e.type like 'return.%')
          <> case r.status when 'requested' then 1 when 'approved' then 2 when 'rejected' then 2 when 'received' then 3 else 4 end
       or r.created_at < o.created_at or r.updated_at > now()`)).toEqual([]);
  // Refunded returns: one succeeded refund carrying the return, what the returned units cost (their share of the line total, capped at the capture).
  expect(await rows(sql`
    select r.id from order_returns r join orders o on o.id = r.order_id
    where r.refunded_amount <> coalesce((select sum(amount) from payment_refunds f where f.return_id = r.id and f.status = 'succeeded'), 0)
       or (r.status = 'refunded') <> (r.refunded_amount > 0)
       or (r.status = 'refunded' and r.refunded_amount <> least(o.captured_amount,
            (select sum(round(ol.line_total::numeric * l.quantity / ol.quantity)) from order_return_lines l join order_lines ol on ol.id = l.order_line_id where l.return_id = r.id)))`)).toEqual([]);
  // Valued, as refundReturn values them, exactly when refunded: the order's one return, so from the line's first unit.
  expect(await rows(sql`
    select l.id from order_return_lines l join order_returns r on r.id = l.return_id
    where l.valued_from is distinct from case when r.status = 'refunded' then 0 end`)).toEqual([]);
  // Restocked exactly when received (damaged goods excepted), each unit back through an audited adjustment.
  expect(await rows(sql`
    select l.id from order_return_lines l join order_returns r on r.id = l.return_id
    where l.restocked <> (r.status in ('received', 'refunded') and l.reason <> 'damaged')`)).toEqual([]);
  const [units] = await rows<{ restocked: string; adjusted: string; audited: string }>(sql`
    select (select coalesce(sum(quantity), 0) from order_return_lines where restocked) as restocked,
           (select coalesce(sum(delta), 0) from inventory_adjustments where reason = 'returned') as adjusted,
           (select coalesce(sum((data->>'delta')::int), 0) from audit_log where action = 'inventory.adjusted' and data->>'reason' = 'returned') as audited`);
  expect(Number(units?.restocked)).toBeGreaterThan(0);
  expect([units?.adjusted, units?.audited].map(Number)).toEqual([Number(units?.restocked), Number(units?.restocked)]);
});
