import type { Random } from '../../intelligence/random.js';
import type { EventEnvelope } from '../../platform/events/envelope.js';
import { newId } from '../../platform/ids.js';
import { returnedUnitsValue } from './returns.js';
import { returnApproved, returnReceived, returnRefunded, returnRejected, returnRequested } from './events.js';
import { RETURN_REASONS, type orderReturnLines, type orderReturns } from './schema.js';
import type { ReturnStage } from './seed-history.js';

/**
 * A demo return, as returns.ts writes one step by step: the request (its lines, the customer's
 * note), staff's decision, the parcel received (lines restocked unless damaged) and the
 * refund of the returned units' value. Plain rows and events with their historical times; the
 * writer (seed-orders.ts) stores them, records the refund and puts the units back through
 * inventory's adjustment.
 */
const DAY = 86_400_000;
const NOTES = ['', '', 'Did not fit', 'Not what I expected', 'Arrived scratched', 'Ordered the wrong size'];
const REJECTIONS = ['Outside our returns policy for worn items', 'Item returned is not the one sold'];

export interface ReturnedOrder {
  id: string;
  number: number;
  customerId: string;
  capturedAmount: number;
  deliveredAt: number;
  lines: readonly { id: string; variantId: string; quantity: number; lineTotal: number }[];
}

export interface TimelineStep { kind: string; message: string; data: Record<string, unknown>; at: number; actorId: string | null }

export interface SeededReturn {
  row: typeof orderReturns.$inferInsert;
  lines: (typeof orderReturnLines.$inferInsert)[];
  steps: TimelineStep[];
  events: EventEnvelope[];
  /** The refund the return's money went back by (the writer records it as payments.ts does). */
  refund: { amount: number; at: number } | null;
  /** Units back on the shelf when the parcel was received. */
  restock: { variantId: string; quantity: number }[];
  lastAt: number;
}

export function seedReturn(random: Random, order: ReturnedOrder, fate: ReturnStage): SeededReturn {
  const returnId = newId();
  const chosen = order.lines.filter((_, i) => i === 0 || random.next() < 0.4);
  const requested = chosen.map((l) => ({ orderLineId: l.id, quantity: 1 + random.int(l.quantity), reason: RETURN_REASONS[random.int(RETURN_REASONS.length)] as (typeof RETURN_REASONS)[number] }));
  const note = NOTES[random.int(NOTES.length)] as string;
  const requestedAt = order.deliveredAt + (1 + random.next() * 3) * DAY;
  const decidedAt = requestedAt + (0.5 + random.next() * 1.5) * DAY;
  const receivedAt = decidedAt + (2 + random.next() * 3) * DAY;
  const refundedAt = receivedAt + (0.2 + random.next() * 0.8) * DAY;
  const ref = (status: ReturnStage, extra: { amount?: number; reason?: string } = {}) =>
    ({ returnId, orderId: order.id, number: order.number, customerId: order.customerId, status, ...extra });
  const out: SeededReturn = { row: { id: returnId, orderId: order.id, customerId: order.customerId, note, status: fate, createdAt: '', updatedAt: '' }, lines: [], steps: [], events: [], refund: null, restock: [], lastAt: requestedAt };
  const at = (t: number) => new Date(t);
  const step = (kind: string, message: string, data: Record<string, unknown>, t: number, actorId: string | null) => {
    out.steps.push({ kind, message, data: { returnId, ...data }, at: t, actorId });
    out.lastAt = Math.max(out.lastAt, t);
  };

  for (const r of requested) {
    const line = order.lines.find((l) => l.id === r.orderLineId)!;
    out.lines.push({ id: newId(), returnId, orderLineId: r.orderLineId, variantId: line.variantId, quantity: r.quantity, reason: r.reason, note: '', restocked: false });
  }
  const units = requested.reduce((n, l) => n + l.quantity, 0);
  step('return-requested', `Return of ${units} item(s) requested`, { lines: requested }, requestedAt, order.customerId);
  out.events.push(returnRequested.create(returnId, ref('requested'), { occurredAt: at(requestedAt) }));
  if (fate === 'requested') return finish(out);
  if (fate === 'rejected') {
    const reason = REJECTIONS[random.int(REJECTIONS.length)] as string;
    out.row.decisionNote = reason;
    step('return-rejected', `Return rejected: ${reason}`, { decisionNote: reason }, decidedAt, null);
    out.events.push(returnRejected.create(returnId, ref('rejected', { reason }), { occurredAt: at(decidedAt) }));
    return finish(out);
  }
  step('return-approved', 'Return approved', { decisionNote: '' }, decidedAt, null);
  out.events.push(returnApproved.create(returnId, ref('approved'), { occurredAt: at(decidedAt) }));
  if (fate === 'approved') return finish(out);
  // Damaged goods do not go back on sale: staff receive them without restocking.
  for (const line of out.lines) {
    if (line.reason === 'damaged') continue;
    line.restocked = true;
    out.restock.push({ variantId: line.variantId, quantity: line.quantity });
  }
  const restocked = out.restock.reduce((n, l) => n + l.quantity, 0);
  step('return-received', `Return received (${restocked} unit(s) restocked)`, {}, receivedAt, null);
  out.events.push(returnReceived.create(returnId, ref('received'), { occurredAt: at(receivedAt) }));
  if (fate === 'received') return finish(out);
  // refundReturn's default (an order has one return here, so none of its units came back before), capped at what was captured.
  const value = out.lines.reduce((sum, l) => {
    const line = order.lines.find((o) => o.id === l.orderLineId);
    return sum + (line ? returnedUnitsValue({ lineTotal: line.lineTotal, bought: line.quantity, earlier: 0, returning: l.quantity }) : 0);
  }, 0);
  for (const line of out.lines) line.valuedFrom = 0;
  const amount = Math.min(value, order.capturedAmount);
  out.refund = { amount, at: refundedAt };
  out.row.refundedAmount = amount;
  step('return-refunded', `Return refunded: ${amount}`, { amount }, refundedAt + 1000, null);
  out.events.push(returnRefunded.create(returnId, ref('refunded', { amount }), { occurredAt: at(refundedAt + 1000) }));
  return finish(out);
}

function finish(out: SeededReturn): SeededReturn {
  out.row.createdAt = new Date(out.steps[0]?.at ?? out.lastAt).toISOString();
  out.row.updatedAt = new Date(out.lastAt).toISOString();
  return out;
}
