import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { consumer } from '../../platform/events/consumers.js';
import { personalEventFields, redactStoredEvents } from '../../platform/events/redact.js';
import { newId } from '../../platform/ids.js';
import type { PersonalDataPart } from '../../platform/module.js';
import { customerErased } from '../identity/events.js';
import { orderCancelled, orderDelivered, orderFulfilled, orderPaid, orderPlaced, orderShipped } from './events.js';
import { paymentById } from '../payments/service.js';
import { orderReturnLines, orderReturns } from './returns-schema.js';
import { orders, orderTimeline } from './schema.js';
import { orderDetail } from './service.js';

/** Order events carry the order's e-mail (notifications write to it); the stored copies lose it with the order. */
const personalInOrderEvents = personalEventFields({
  events: [orderPlaced, orderPaid, orderCancelled, orderFulfilled, orderShipped, orderDelivered], subjectField: 'customerId', fields: ['email'],
});

/** The customer's orders with their lines, addresses, timeline and the card that paid (brand and last four only). */
export const ordersPersonalData: PersonalDataPart = {
  events: [personalInOrderEvents],
  key: 'orders',
  async export(db: Db, customerId: string) {
    const rows = await db.select().from(orders).where(eq(orders.customerId, customerId)).orderBy(asc(orders.createdAt), asc(orders.id));
    const result = [];
    // One after another: the export runs in one transaction, and a transaction's client takes one query at a time.
    for (const order of rows) {
      const payment = await paymentById(db, order.paymentId);
      const returns = [];
      for (const r of await db.select().from(orderReturns).where(eq(orderReturns.orderId, order.id)).orderBy(asc(orderReturns.createdAt))) {
        const lines = await db.select().from(orderReturnLines).where(eq(orderReturnLines.returnId, r.id));
        returns.push({
          id: r.id, status: r.status, note: r.note, refundedAmount: r.refundedAmount, createdAt: new Date(r.createdAt).toISOString(),
          lines: lines.map((l) => ({ orderLineId: l.orderLineId, variantId: l.variantId, quantity: l.quantity, reason: l.reason, note: l.note })),
        });
      }
      result.push({
        ...(await orderDetail(db, order)),
        payment: payment && { provider: payment.provider, status: payment.status, cardBrand: payment.cardBrand, cardLast4: payment.cardLast4 },
        returns,
      });
    }
    return result;
  },
};

/**
 * Erasure keeps the orders: numbers, amounts, tax, lines and payment figures are accounting
 * records the shop must retain (e.g. 10 years under the German HGB §257, 6 in the UK). What
 * identifies the person goes: the e-mail, both addresses (names and phones inside them) and
 * the customer's free-text notes, on the order and on its returns (the return's reason code,
 * quantities and refund stay; so does staff's decision note). The order keeps its customer id, which now points at an
 * anonymised account. A timeline entry tells staff why the fields are empty. The order events
 * kept in the outbox (for replay) and in dead letters lose their e-mail in the same transaction.
 */
export const anonymiseErasedCustomerOrders = consumer('orders.anonymise-erased-customer', customerErased, async (tx, { payload }) => {
  const erased = await tx.update(orders)
    .set({ email: '', shippingAddress: null, billingAddress: null, notes: '', version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
    .where(eq(orders.customerId, payload.customerId)).returning({ id: orders.id });
  await redactStoredEvents(tx, personalInOrderEvents, payload.customerId);
  if (erased.length === 0) return;
  const returns = await tx.update(orderReturns).set({ note: '', updatedAt: sql`now()` })
    .where(inArray(orderReturns.orderId, erased.map((o) => o.id))).returning({ id: orderReturns.id });
  if (returns.length > 0) await tx.update(orderReturnLines).set({ note: '' }).where(inArray(orderReturnLines.returnId, returns.map((r) => r.id)));
  await tx.insert(orderTimeline).values(erased.map((o) => ({
    id: newId(), orderId: o.id, kind: 'personal-data-erased', message: 'Personal data erased at the customer\'s request; amounts and lines kept for accounting', data: {},
  })));
});
