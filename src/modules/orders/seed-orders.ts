import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Random } from '../../intelligence/random.js';
import type { Tx } from '../../platform/db/database.js';
import { selectRows } from '../../platform/db/database.js';
import type { EventEnvelope } from '../../platform/events/envelope.js';
import { outbox } from '../../platform/events/schema.js';
import { newId } from '../../platform/ids.js';
import { appendAudit } from '../../platform/security/audit.js';
import type { SeedContext, Seeder } from '../../platform/seed.js';
import type { Address } from '../carts/schema.js';
import { computeTotals, type Totals } from '../carts/totals.js';
import { prices, products, variants } from '../catalog/schema.js';
import { adjustStock, DEFAULT_LOCATION, locationId } from '../inventory/admin.js';
import { ensurePromotions, recordHistoricRedemptions, type HistoricRedemption } from '../promotions/seed.js';
import { customerKeyOf, type Promotion } from '../promotions/service.js';
import { reservations, stockLevels } from '../inventory/schema.js';
import { regionFor, shippingPrice, type ShippingOption, type TaxAndShipping } from '../regions/service.js';
import { paymentCaptured, paymentRefunded } from '../payments/events.js';
import { payments, refunds } from '../payments/schema.js';
import { FIRST_ORDER_NUMBER } from './place.js';
import { orderCancelled, orderDelivered, orderFulfilled, orderPaid, orderPlaced, orderShipped } from './events.js';
import { orderCounters, orderLines, orderReturnLines, orderReturns, orders, orderTimeline } from './schema.js';
import { campaigns, fateOf, openReturnStage, orderTimes, pickCustomer, runningAt, zipfPicker, type OrderFate, type ReturnStage } from './seed-history.js';
import { DEMO_ADDRESSES, demoCustomers, guest, type Customer } from './seed-customers.js';
import { seedReturn, type ReturnedOrder } from './seed-returns.js';

/**
 * Two years of demo orders with weekly and yearly seasonality, promotions, cancellations,
 * refunds and returns. A bulk path for speed (a few thousand orders in seconds): it writes, in
 * batches, the records and events the live path writes — order, lines, timeline, payment
 * (captured, refunded), stock reservations moved to shipped/committed/released with the levels
 * to match, the promotions' redemptions and uses (promotions made through their module, totals
 * through the same computeTotals a checkout prices with, at the tax rate and with the shipping
 * of the address's region, as regions' seeder sets them up), returns with their lines and refunds,
 * an audit entry per batch summing its money movements, and outbox events with their historical
 * occurredAt. The events are stored as already published: they are history, not work, so no
 * consumer mails a two-year-old confirmation. Stock arrives, and returned units go back on the
 * shelf, through inventory's own audited adjustment.
 */
const DAY = 86_400_000;
const BATCH = 250;

interface Variant { id: string; productId: string; sku: string; title: string; amount: number; weightGrams: number | null }

async function sellableVariants(ctx: SeedContext): Promise<Variant[]> {
  const rows = await ctx.database.db.select({ id: variants.id, productId: variants.productId, sku: variants.sku, title: products.title, amount: prices.amount, weightGrams: variants.weightGrams })
    .from(variants).innerJoin(products, eq(products.id, variants.productId))
    .innerJoin(prices, and(eq(prices.variantId, variants.id), eq(prices.currency, 'USD'), isNull(prices.priceListId)))
    .where(eq(products.status, 'published')).orderBy(variants.sku).limit(400);
  return ctx.random.shuffle(rows);
}

interface Planned {
  id: string; number: number; at: number; customer: Customer; lines: { v: Variant; quantity: number }[]; fate: OrderFate; returned: ReturnStage | null; promotions: Promotion[];
  /** The tax and shipping of the address's region (none outside every region), and how the shopper chose to ship. */
  destination: TaxAndShipping | null; express: boolean;
}

const destinationKey = (a: Address) => `${a.country}/${a.region ?? ''}`;

/** The region of each address the demo shoppers ship to, looked up once, as a checkout's pricing does. */
async function destinationsOf(ctx: SeedContext, addresses: readonly Address[]): Promise<Map<string, TaxAndShipping | null>> {
  const out = new Map<string, TaxAndShipping | null>();
  for (const a of addresses) if (!out.has(destinationKey(a))) out.set(destinationKey(a), await regionFor(ctx.database.db, a));
  return out;
}

/**
 * Shipping as checkout prices it (regions' shippingPrice on the discounted subtotal and the
 * parcel's weight): most shoppers take the first flat option, some the express one when it
 * carries this parcel; a region with no options ships for nothing.
 */
function shippingFor(o: Planned, discountedSubtotal: number): number {
  const options = o.destination?.region.currency === 'USD' ? o.destination.options : [];
  const weightGrams = o.lines.reduce((sum, l) => sum + (l.v.weightGrams ?? 0) * l.quantity, 0);
  const priced = options.map((option) => ({ option, amount: shippingPrice(option, { weightGrams, discountedSubtotal }) }))
    .filter((p): p is { option: ShippingOption; amount: number } => p.amount !== null);
  const standard = priced.find((p) => p.option.kind === 'flat') ?? priced[0];
  const express = priced.find((p) => p.option.kind === 'weight');
  return ((o.express ? express : undefined) ?? standard)?.amount ?? 0;
}

export async function seedOrders(ctx: SeedContext): Promise<void> {
  const n = ctx.sizes.orders ?? 0;
  if (n === 0) return;
  const catalog = await sellableVariants(ctx);
  if (catalog.length === 0) {
    ctx.logger.warn('no published USD variants: no demo orders');
    return;
  }
  const customers = await demoCustomers(ctx, ctx.sizes.customers ?? 0);
  const destinations = await destinationsOf(ctx, DEMO_ADDRESSES);
  const now = Date.now();
  const popular = zipfPicker(catalog.length);
  const [counter] = await selectRows<{ last: number }>(ctx.database.db, sql`
    insert into ${orderCounters} (name, last) values ('orders', ${FIRST_ORDER_NUMBER + n - 1})
    on conflict (name) do update set last = ${orderCounters.last} + ${n} returning last`);
  const firstNumber = Number((counter as { last: number }).last) - n + 1;
  const running = campaigns(now);
  const promos = await ctx.database.transaction((tx) => ensurePromotions(tx, running.map((c) => ({
    code: c.code, title: c.title, kind: c.kind, value: c.value, currency: 'USD', minSubtotal: c.minSubtotal, startsAt: c.startsAt, endsAt: c.endsAt,
  }))));
  // A code a merchant already made counts as it stands; one with limits (or of another kind) the bulk path cannot keep is left out.
  const offers = running.map((c, k) => ({ c, p: promos[k] as Promotion }))
    .filter(({ p }) => p.active && (p.kind === 'percentage' || p.kind === 'fixed') && p.usageLimit === null && p.perCustomerLimit === null && (!p.currency || p.currency === 'USD'));
  let open = 0;
  const plan: Planned[] = orderTimes(ctx.random, n, now).map((at, i) => {
    const c = pickCustomer(ctx.random, customers.length);
    const customer = c === null ? guest(ctx.random, i) : customers[c] as Customer;
    const picked = new Map<string, { v: Variant; quantity: number }>();
    const count = 1 + Math.floor(ctx.random.next() ** 2 * 4);
    for (let k = 0; k < count; k++) {
      const v = catalog[popular(ctx.random)] as Variant;
      picked.set(v.id, { v, quantity: ctx.random.next() < 0.8 ? 1 : 2 + ctx.random.int(2) });
    }
    const lines = [...picked.values()];
    const subtotal = lines.reduce((sum, l) => sum + l.v.amount * l.quantity, 0);
    // Automatic promotions apply to every cart that qualifies; of the codes, a shopper types one at most.
    const eligible = offers.filter(({ p }) => runningAt(p, at) && subtotal >= p.minSubtotal);
    const typed = eligible.find(({ c }) => c.code !== null && ctx.random.next() < c.share);
    const used = eligible.filter((e) => e.c.code === null || e === typed).map((e) => e.p);
    const fate = fateOf(ctx.random, (now - at) / DAY);
    // Only a signed-in customer can ask for a return (returns.ts); a guest's order keeps none.
    const returned = !customer.id || fate.returned === 'none' ? null : fate.returned === 'open' ? openReturnStage(open++) : fate.returned;
    const destination = destinations.get(destinationKey(customer.address)) ?? null;
    return { id: newId(), number: firstNumber + i, at, customer, lines, fate, returned, promotions: used, destination, express: ctx.random.next() < 0.15 };
  });

  // Stock first, through inventory's audited adjustment: what was sold plus what is left on the shelf.
  const sold = new Map<string, number>();
  for (const o of plan) for (const l of o.lines) sold.set(l.v.id, (sold.get(l.v.id) ?? 0) + l.quantity);
  const location = await ctx.database.transaction((tx) => locationId(tx, DEFAULT_LOCATION));
  for (const [variantId, units] of sold) {
    await ctx.database.transaction((tx) => adjustStock(tx, { variantId, delta: units + 20 + ctx.random.int(180), reason: 'received', note: 'demo opening stock' }, null));
  }

  const bar = ctx.progress('demo orders', n);
  for (let i = 0; i < plan.length; i += BATCH) {
    const batch = plan.slice(i, i + BATCH);
    await ctx.database.transaction((tx) => writeBatch(tx, ctx.random, batch, location, now));
    bar.tick(batch.length);
  }
  bar.done();
}

function returnedOrder(o: Planned, lineIds: readonly string[], totals: Totals, deliveredAt: number): ReturnedOrder {
  return {
    id: o.id, number: o.number, customerId: o.customer.id as string, capturedAmount: totals.total, deliveredAt,
    lines: o.lines.map((l, i) => ({ id: lineIds[i] as string, variantId: l.v.id, quantity: l.quantity, lineTotal: totals.lines[i]?.total ?? 0 })),
  };
}


async function writeBatch(tx: Tx, random: Random, batch: readonly Planned[], location: string, now: number): Promise<void> {
  const orderRows: (typeof orders.$inferInsert)[] = [];
  const lineRows: (typeof orderLines.$inferInsert)[] = [];
  const paymentRows: (typeof payments.$inferInsert)[] = [];
  const refundRows: (typeof refunds.$inferInsert)[] = [];
  const holdRows: (typeof reservations.$inferInsert)[] = [];
  const timeline: (typeof orderTimeline.$inferInsert)[] = [];
  const events: EventEnvelope[] = [];
  const audits: Parameters<typeof appendAudit>[1][] = [];
  const levelChange = new Map<string, { shipped: number; committed: number }>();
  const redemptions: HistoricRedemption[] = [];
  const returnRows: (typeof orderReturns.$inferInsert)[] = [];
  const returnLineRows: (typeof orderReturnLines.$inferInsert)[] = [];
  const restock: { variantId: string; quantity: number; note: string }[] = [];
  const iso = (t: number) => new Date(Math.min(t, now - 1000)).toISOString();

  for (const o of batch) {
    // As promotionsForCart orders them: percentages before fixed amounts.
    const adjustments = o.promotions.map((p) => (p.kind === 'fixed' ? { id: p.id, kind: 'fixed' as const, amount: p.value } : { id: p.id, kind: 'percentage' as const, basisPoints: p.value }))
      .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'percentage' ? -1 : 1));
    const priced = {
      lines: o.lines.map((l, i) => ({ id: String(i), unitAmount: l.v.amount, quantity: l.quantity })), promotions: adjustments,
      taxRateBps: o.destination?.taxRateBps ?? 0, taxInclusive: o.destination?.region.taxInclusive ?? false,
    };
    const goods = computeTotals(priced);
    const totals = computeTotals({ ...priced, shipping: shippingFor(o, goods.subtotal - goods.discount) });
    const { outcome, refund } = o.fate;
    const lineIds = o.lines.map(() => newId());
    const paymentId = newId();
    const cartId = newId();
    const checkoutId = newId();
    const placed = o.at;
    const fulfilledAt = placed + (0.3 + random.next() * 1.2) * DAY;
    const shippedAt = fulfilledAt + (0.1 + random.next() * 0.6) * DAY;
    const deliveredAt = shippedAt + (1 + random.next() * 2.5) * DAY;
    const cancelledAt = placed + (1 + random.next() * 10) * 3_600_000;
    const refundAt = deliveredAt + (2 + random.next() * 12) * DAY;
    const returned = o.returned ? seedReturn(random, returnedOrder(o, lineIds, totals, deliveredAt), o.returned) : null;
    const complaint = outcome === 'cancelled' || refund === 'full' ? totals.total : refund === 'partial' ? Math.max(1, Math.round(totals.total * 0.3)) : 0;
    const refunded = complaint + (returned?.refund?.amount ?? 0);
    const status = outcome;
    const paymentStatus = refunded === 0 ? 'captured' : refunded >= totals.total ? 'refunded' : 'partially_refunded';
    const lastAt = Math.max(returned?.lastAt ?? 0, outcome === 'cancelled' ? cancelledAt : complaint > 0 ? refundAt : { paid: placed, fulfilled: fulfilledAt, shipped: shippedAt, delivered: deliveredAt }[outcome]);
    const ref = { orderId: o.id, number: o.number, customerId: o.customer.id, email: o.customer.email, total: totals.total, currency: 'USD', paymentId };
    const money = { paymentId, orderId: o.id, cartId, amount: totals.total, currency: 'USD', provider: 'test' };

    orderRows.push({
      id: o.id, number: o.number, cartId, paymentId, checkoutId, customerId: o.customer.id, email: o.customer.email, currency: 'USD', status, paymentStatus,
      subtotal: totals.subtotal, discount: totals.discount, shipping: totals.shipping, tax: totals.tax, total: totals.total, taxInclusive: totals.taxInclusive,
      capturedAmount: totals.total, refundedAmount: refunded, shippingAddress: o.customer.address, billingAddress: o.customer.address,
      createdAt: iso(placed), updatedAt: iso(lastAt),
    });
    o.lines.forEach((l, i) => {
      lineRows.push({ id: lineIds[i] as string, orderId: o.id, variantId: l.v.id, productId: l.v.productId, sku: l.v.sku, title: l.v.title, quantity: l.quantity, unitAmount: l.v.amount, lineTotal: totals.lines[i]?.total ?? 0, position: i });
      const hold = outcome === 'cancelled' ? 'released' : outcome === 'paid' || outcome === 'fulfilled' ? 'committed' : 'shipped';
      holdRows.push({ id: newId(), checkoutId, variantId: l.v.id, locationId: location, quantity: l.quantity, status: hold, orderId: o.id, expiresAt: iso(placed + 900_000), releasedReason: hold === 'released' ? 'cancelled' : null, createdAt: iso(placed), updatedAt: iso(lastAt) });
      const change = levelChange.get(l.v.id) ?? { shipped: 0, committed: 0 };
      if (hold === 'shipped') change.shipped += l.quantity;
      if (hold === 'committed') change.committed += l.quantity;
      levelChange.set(l.v.id, change);
    });
    paymentRows.push({
      id: paymentId, cartId, checkoutId, orderId: o.id, provider: 'test', providerRef: `tp_${paymentId.replace(/-/g, '')}`, status: paymentStatus, amount: totals.total, currency: 'USD',
      capturedAmount: totals.total, refundedAmount: refunded, cardBrand: 'visa', cardLast4: '4242', createdAt: iso(placed), updatedAt: iso(lastAt),
    });

    const step = (kind: string, message: string, at: number, data: Record<string, unknown> = {}, actorId: string | null = null) => timeline.push({ id: newId(), orderId: o.id, kind, message, data, actorId, at: iso(at) });
    const event = (e: EventEnvelope, at: number) => events.push({ ...e, occurredAt: iso(at) });
    step('placed', `Order ${o.number} placed`, placed, { total: totals.total, currency: 'USD' });
    event(orderPlaced.create(o.id, ref), placed);
    step('paid', `Order ${o.number} paid`, placed + 1000);
    event(orderPaid.create(o.id, ref), placed + 1000);
    step('payment-captured', `Captured ${totals.total} USD`, placed + 2000, { amount: totals.total });
    event(paymentCaptured.create(paymentId, money), placed + 2000);
    audits.push({ action: 'payment.captured', actor: null, subjectType: 'payment', subjectId: paymentId, data: { orderId: o.id, amount: totals.total, currency: 'USD', seeded: true } });
    if (outcome === 'cancelled') {
      step('cancelled', `Order ${o.number} cancelled: customer changed their mind`, cancelledAt, { reason: 'customer changed their mind' });
      event(orderCancelled.create(o.id, { ...ref, reason: 'customer changed their mind' }), cancelledAt);
    }
    if (outcome !== 'paid' && outcome !== 'cancelled') {
      step('fulfilled', `Order ${o.number} fulfilled`, fulfilledAt);
      event(orderFulfilled.create(o.id, ref), fulfilledAt);
    }
    if (outcome === 'shipped' || outcome === 'delivered') {
      const tracking = `1Z${String(100_000_000 + random.int(900_000_000))}`;
      step('shipped', `Order ${o.number} shipped (UPS ${tracking})`, shippedAt, { carrier: 'UPS', trackingNumber: tracking });
      event(orderShipped.create(o.id, { ...ref, carrier: 'UPS', trackingNumber: tracking }), shippedAt);
    }
    if (outcome === 'delivered') {
      step('delivered', `Order ${o.number} delivered`, deliveredAt);
      event(orderDelivered.create(o.id, ref), deliveredAt);
    }
    const refundOf = (amount: number, at: number, reason: string, returnId: string | null) => {
      const refundId = newId();
      refundRows.push({ id: refundId, paymentId, orderId: o.id, returnId, amount, status: 'succeeded', reason, createdAt: iso(at), updatedAt: iso(at) });
      step('refunded', `Refunded ${amount} USD: ${reason}`, at, { amount, refundId, returnId });
      event(paymentRefunded.create(paymentId, { ...money, amount }), at);
      audits.push({ action: 'payment.refunded', actor: null, subjectType: 'payment', subjectId: paymentId, data: { orderId: o.id, amount, currency: 'USD', seeded: true } });
    };
    if (complaint > 0) refundOf(complaint, outcome === 'cancelled' ? cancelledAt : refundAt, outcome === 'cancelled' ? 'cancelled' : 'customer complaint', null);
    if (returned) {
      returnRows.push(returned.row);
      returnLineRows.push(...returned.lines);
      if (returned.refund) refundOf(returned.refund.amount, returned.refund.at, 'return', returned.row.id);
      for (const s of returned.steps) step(s.kind, s.message, s.at, s.data, s.actorId);
      for (const e of returned.events) events.push(e);
      for (const r of returned.restock) restock.push({ ...r, note: `return of order ${o.number}` });
    }
    const key = customerKeyOf({ customerId: o.customer.id, email: o.customer.email }) ?? `order:${o.id}`;
    for (const p of totals.promotions.filter((t) => t.amount > 0)) {
      redemptions.push({
        promotionId: p.id, orderId: o.id, customerKey: key, amount: p.amount, currency: 'USD', at: iso(placed),
        ...(outcome === 'cancelled' ? { releasedAt: iso(cancelledAt), releaseReason: 'customer changed their mind' } : {}),
      });
    }
  }

  await tx.insert(orders).values(orderRows);
  await tx.insert(orderLines).values(lineRows);
  await tx.insert(payments).values(paymentRows);
  if (refundRows.length) await tx.insert(refunds).values(refundRows);
  await tx.insert(reservations).values(holdRows);
  if (returnRows.length) {
    await tx.insert(orderReturns).values(returnRows);
    await tx.insert(orderReturnLines).values(returnLineRows);
  }
  events.push(...await recordHistoricRedemptions(tx, redemptions));
  for (let k = 0; k < timeline.length; k += 1000) await tx.insert(orderTimeline).values(timeline.slice(k, k + 1000));
  // History, not work: stored as published when it happened, so the relay does not hand it to consumers again.
  for (let k = 0; k < events.length; k += 1000) {
    await tx.insert(outbox).values(events.slice(k, k + 1000).map((e) => ({
      id: e.id, type: e.type, version: e.version, occurredAt: e.occurredAt, aggregateType: e.aggregateType, aggregateId: e.aggregateId, payload: e.payload, traceId: e.traceId, publishedAt: e.occurredAt,
    })));
  }
  for (const [variantId, change] of [...levelChange].sort(([a], [b]) => a.localeCompare(b))) {
    await tx.update(stockLevels).set({ onHand: sql`${stockLevels.onHand} - ${change.shipped}`, committed: sql`${stockLevels.committed} + ${change.committed}`, updatedAt: sql`now()` })
      .where(and(eq(stockLevels.variantId, variantId), eq(stockLevels.locationId, location)));
  }
  // Received returns back on the shelf, as receiveReturn puts them (audited, one adjustment per line).
  for (const r of restock) await adjustStock(tx, { variantId: r.variantId, delta: r.quantity, reason: 'returned', note: r.note }, null);
  // One audit entry per batch for its money movements: one per payment would triple the seeding time.
  const captured = audits.filter((a) => a.action === 'payment.captured');
  const refundedEntries = audits.filter((a) => a.action === 'payment.refunded');
  const sum = (list: typeof audits) => list.reduce((n, a) => n + Number(a.data?.amount ?? 0), 0);
  await appendAudit(tx, {
    action: 'payments.seeded', actor: null, subjectType: 'orders', subjectId: `${batch[0]?.number ?? 0}-${batch.at(-1)?.number ?? 0}`,
    data: { currency: 'USD', captures: captured.length, captured: sum(captured), refunds: refundedEntries.length, refunded: sum(refundedEntries) },
  });
}

export const ordersSeeder: Seeder = {
  name: 'orders',
  after: ['catalog', 'identity', 'regions'],
  sizes: {
    orders: { default: 3000, description: 'demo orders over the last two years (weekly and yearly seasonality, promotions, cancellations, refunds, returns)' },
    customers: { default: 120, description: 'demo customer accounts who place most of them' },
  },
  run: seedOrders,
};
