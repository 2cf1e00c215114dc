import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { selectRows, type Database, type Db, type Tx } from '../../platform/db/database.js';
import { prepared, type Placeholders } from '../../platform/db/prepared.js';
import { inOrderOf, insertRows, valueForId } from '../../platform/db/set-based.js';
import { publish } from '../../platform/events/outbox.js';
import { batched, onePer } from '../../platform/grouped.js';
import { problem } from '../../platform/http/problem.js';
import { appendAudit } from '../../platform/security/audit.js';
import { paymentAuthorized, paymentCaptured, paymentFailed, paymentRefunded, paymentVoided } from './events.js';
import type { AuthorizeResult, NextAction, PaymentProvider, ProviderPayment } from './provider.js';
import { payments } from './schema.js';

export type Payment = typeof payments.$inferSelect;

/** The providers this app can charge with, by name (the `{provider}` of the webhook route). */
export type Providers = ReadonlyMap<string, PaymentProvider>;

export function providerFor(providers: Providers, name: string): PaymentProvider {
  const provider = providers.get(name);
  if (!provider) throw problem(404, 'unknown-payment-provider', `No payment provider ${JSON.stringify(name)}; known: ${[...providers.keys()].join(', ')}`, { provider: name });
  return provider;
}

type NewPayment = { id: string; cartId: string; checkoutId: string; amount: number; currency: string; provider: string };
const insertPayment = prepared((db, p: Placeholders<NewPayment>) =>
  db.insert(payments).values({ id: p.id, cartId: p.cartId, checkoutId: p.checkoutId, amount: p.amount, currency: p.currency, provider: p.provider }));

export async function createPayment(tx: Tx, input: NewPayment): Promise<void> {
  await insertPayment(tx, input);
}

/** createPayment() for many checkouts, in one statement. */
export async function createPayments(tx: Tx, inputs: readonly NewPayment[]): Promise<void> {
  await insertRows(tx, payments, inputs);
}

const selectById = prepared((db, p: Placeholders<{ id: string }>) => db.select().from(payments).where(eq(payments.id, p.id)));
const selectByCheckout = prepared((db, p: Placeholders<{ checkoutId: string }>) => db.select().from(payments).where(eq(payments.checkoutId, p.checkoutId)));
const selectByRef = prepared((db, p: Placeholders<{ provider: string; ref: string }>) =>
  db.select().from(payments).where(and(eq(payments.provider, p.provider), eq(payments.providerRef, p.ref))));

export async function paymentById(db: Db, id: string): Promise<Payment | null> {
  return (await selectById(db, { id }))[0] ?? null;
}

// `= any(array)`: one statement text, so one prepared statement, for any number of payments.
const selectByIds = prepared((db, p: Placeholders<{ ids: string[] }>) => db.select().from(payments).where(sql`${payments.id} = any(${p.ids})`));

/** The payments of these ids that exist, by id: one read for a run of them. */
export async function paymentsByIds(db: Db, ids: readonly string[]): Promise<Map<string, Payment>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  return new Map((await selectByIds(db, { ids: unique })).map((p) => [p.id, p]));
}

export async function paymentByCheckout(db: Db, checkoutId: string): Promise<Payment | null> {
  return (await selectByCheckout(db, { checkoutId }))[0] ?? null;
}

export async function paymentByRef(db: Db, provider: string, ref: string): Promise<Payment | null> {
  return (await selectByRef(db, { provider, ref }))[0] ?? null;
}

const ref = (p: Payment) => ({ paymentId: p.id, orderId: p.orderId, cartId: p.cartId, amount: p.amount, currency: p.currency, provider: p.provider });

/** Cleared whenever a payment leaves requires_action: a stale 3-D Secure link must not be offered again. */
const NO_NEXT_ACTION = { nextActionType: null, nextActionUrl: null } as const;

type Authorization = Pick<Payment, 'id' | 'providerRef' | 'cardBrand' | 'cardLast4' | 'failureCode' | 'status' | 'nextActionType' | 'nextActionUrl'>;
const updateAuthorization = prepared((db, p: Placeholders<Authorization>) => db.update(payments).set({
  providerRef: sql`${p.providerRef}`, cardBrand: sql`${p.cardBrand}`, cardLast4: sql`${p.cardLast4}`, failureCode: sql`${p.failureCode}`,
  status: sql`${p.status}`, nextActionType: sql`${p.nextActionType}`, nextActionUrl: sql`${p.nextActionUrl}`, updatedAt: sql`now()`,
}).where(and(eq(payments.id, p.id), inArray(payments.status, ['pending', 'requires_action']), or(isNull(payments.providerRef), eq(payments.providerRef, p.providerRef))))
  .returning({ id: payments.id }));

/**
 * What the processor answered; only its token reference, the brand and the last four digits are
 * kept, and, while the shopper has a step to take, the processor's own URL for it.
 *
 * Only a payment still waiting for this answer takes it. A checkout request that outlived the
 * orphan window (PaymentProvider.orphanedAfterMs) may find its payment adopted meanwhile, the
 * order placed and the money captured: its late answer must not set that back to pending.
 * Returns whether it was recorded.
 */
export function recordAuthorization(database: Database, paymentId: string, result: AuthorizeResult): Promise<boolean> {
  const waiting = result.status === 'requires_action';
  return recorderOf(database)({
    id: paymentId, providerRef: result.ref, cardBrand: result.card.brand, cardLast4: result.card.last4, failureCode: result.failureCode ?? null,
    // A decline is recorded as failed by markFailed, with the stock release, so its event goes out once.
    status: waiting ? 'requires_action' : 'pending',
    ...(waiting && result.nextAction ? { nextActionType: result.nextAction.type, nextActionUrl: result.nextAction.url } : NO_NEXT_ACTION),
  });
}

// The answers that come in at one moment are recorded in one statement (platform/grouped.ts: batched).
const recorderOf = onePer((database: Database) =>
  batched((a: Authorization) => recordOne(database.db, a), (list: Authorization[]) => recordMany(database.db, list), { maxSize: 100 }));

const recordOne = async (db: Db, a: Authorization) => (await updateAuthorization(db, a)).length > 0;

async function recordMany(db: Db, list: Authorization[]): Promise<boolean[]> {
  const recorded = await selectRows<{ id: string }>(db, sql`
    update ${payments} p set provider_ref = a."providerRef", card_brand = a."cardBrand", card_last4 = a."cardLast4", failure_code = a."failureCode",
      status = a.status, next_action_type = a."nextActionType", next_action_url = a."nextActionUrl", updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(list)}::jsonb)
      as a(id uuid, "providerRef" text, "cardBrand" text, "cardLast4" text, "failureCode" text, status text, "nextActionType" text, "nextActionUrl" text)
    where p.id = a.id and p.status in ('pending', 'requires_action') and (p.provider_ref is null or p.provider_ref = a."providerRef")
    returning p.id`);
  const ids = new Set(recorded.map((r) => r.id));
  return list.map((a) => ids.has(a.id));
}

/**
 * Records a processor payment found for one whose authorization answer was lost (see
 * PaymentProvider.findByPaymentId): its reference and where it stands; the card stays unknown.
 * Only a payment with no reference yet takes it. Returns the payment as it is now.
 */
export async function adoptFoundPayment(tx: Tx, paymentId: string, found: ProviderPayment): Promise<Payment | null> {
  const [adopted] = await tx.update(payments).set({
    providerRef: found.ref, status: found.status === 'requires_action' ? 'requires_action' : 'pending', updatedAt: sql`now()`,
  }).where(and(eq(payments.id, paymentId), isNull(payments.providerRef))).returning();
  return adopted ?? paymentById(tx, paymentId);
}

/** The step the shopper still has to take, as the processor gave it at authorization; null when there is none. */
export function nextActionOf(payment: Payment): NextAction | null {
  if (payment.status !== 'requires_action' || !payment.nextActionType || !payment.nextActionUrl) return null;
  return { type: payment.nextActionType, url: payment.nextActionUrl };
}

const updateAuthorized = prepared((db, p: Placeholders<{ id: string; orderId: string }>) =>
  db.update(payments).set({ status: 'authorized', orderId: sql`${p.orderId}`, ...NO_NEXT_ACTION, updatedAt: sql`now()` }).where(eq(payments.id, p.id)).returning());

/**
 * In the completing transaction: the payment now belongs to the order. Its audit entry is
 * written by the payments.audit consumer of payment.authorized (exactly once, via its inbox),
 * so checkouts do not queue on the audit chain's lock.
 */
export async function markAuthorized(tx: Tx, paymentId: string, orderId: string): Promise<void> {
  const [p] = await updateAuthorized(tx, { id: paymentId, orderId });
  if (!p) throw new Error(`payment ${paymentId} vanished`);
  await publish(tx, paymentAuthorized.create(p.id, ref(p)));
}

type AllAuthorized = { ids: string[]; orderIds: string[]; refs: string[]; brands: string[]; last4s: string[] };
const updateAllAuthorized = prepared((db, p: Placeholders<AllAuthorized>) => db.update(payments).set({
  status: 'authorized', orderId: valueForId(p.ids, p.orderIds, payments.id, 'uuid'), providerRef: valueForId(p.ids, p.refs, payments.id, 'text'),
  cardBrand: valueForId(p.ids, p.brands, payments.id, 'text'), cardLast4: valueForId(p.ids, p.last4s, payments.id, 'text'), failureCode: null,
  ...NO_NEXT_ACTION, updatedAt: sql`now()`,
}).where(sql`${payments.id} = any(${p.ids}) and ${payments.status} in ('pending', 'requires_action')
  and (${payments.providerRef} is null or ${payments.providerRef} = ${valueForId(p.ids, p.refs, payments.id, 'text')})`).returning());

/**
 * markAuthorized() for a group of orders placed together, each with the processor's answer its
 * checkout request just had (the same guard as recordAuthorization: only a payment still waiting
 * for this answer takes it): one statement, and their events. Returns false, publishing nothing,
 * when a payment did not take it; the caller's transaction is then to roll back.
 */
export async function markAllAuthorized(tx: Tx, list: readonly { paymentId: string; orderId: string; answer: AuthorizeResult }[]): Promise<boolean> {
  const ids = list.map((l) => l.paymentId);
  const marked = inOrderOf(await updateAllAuthorized(tx, {
    ids, orderIds: list.map((l) => l.orderId), refs: list.map((l) => l.answer.ref), brands: list.map((l) => l.answer.card.brand), last4s: list.map((l) => l.answer.card.last4),
  }), ids);
  if (marked.length !== ids.length) return false;
  await publish(tx, ...marked.map((p) => paymentAuthorized.create(p.id, ref(p))));
  return true;
}

export async function auditAuthorization(tx: Tx, payload: { paymentId: string; orderId: string | null; amount: number; currency: string; provider: string }): Promise<void> {
  await appendAudit(tx, { action: 'payment.authorized', actor: null, subjectType: 'payment', subjectId: payload.paymentId, data: { orderId: payload.orderId, amount: payload.amount, currency: payload.currency, provider: payload.provider } });
}

export async function markFailed(tx: Tx, paymentId: string, reason: string, voided: boolean): Promise<void> {
  const [p] = await tx.update(payments).set({ status: voided ? 'voided' : 'failed', failureCode: reason, ...NO_NEXT_ACTION, updatedAt: sql`now()` })
    .where(sql`${payments.id} = ${paymentId} and ${payments.status} in ('pending', 'requires_action', 'authorized')`).returning();
  if (!p) return;
  if (voided) await appendAudit(tx, { action: 'payment.voided', actor: null, subjectType: 'payment', subjectId: p.id, data: { reason, amount: p.amount } });
  await publish(tx, paymentFailed.create(p.id, { ...ref(p), reason }));
}

const updateCaptured = prepared((db, p: Placeholders<{ ids: string[]; amounts: number[] }>) => db.update(payments)
  .set({ status: 'captured', capturedAmount: valueForId(p.ids, p.amounts, payments.id, 'bigint'), updatedAt: sql`now()` })
  .where(sql`${payments.id} = any(${p.ids}) and ${payments.status} = 'authorized'`).returning());

/**
 * Authorized payments recorded as captured (a consumer run's at once), each with its audit
 * entry and its event; one that is no longer authorized (captured already, voided) is left as it is.
 */
export async function markCaptured(tx: Tx, captures: readonly { paymentId: string; amount: number }[], actor: string | null): Promise<void> {
  if (captures.length === 0) return;
  const ids = captures.map((c) => c.paymentId);
  // Each captured row carries the amount it was given.
  for (const p of inOrderOf(await updateCaptured(tx, { ids, amounts: captures.map((c) => c.amount) }), ids)) {
    const amount = p.capturedAmount;
    await appendAudit(tx, { action: 'payment.captured', actor, subjectType: 'payment', subjectId: p.id, data: { orderId: p.orderId, amount, currency: p.currency } });
    await publish(tx, paymentCaptured.create(p.id, { ...ref(p), amount }));
  }
}

export async function markVoided(tx: Tx, paymentId: string, actor: string | null): Promise<void> {
  const [p] = await tx.update(payments).set({ status: 'voided', updatedAt: sql`now()` })
    .where(sql`${payments.id} = ${paymentId} and ${payments.status} = 'authorized'`).returning();
  if (!p) return;
  await appendAudit(tx, { action: 'payment.voided', actor, subjectType: 'payment', subjectId: p.id, data: { orderId: p.orderId, amount: p.amount } });
  await publish(tx, paymentVoided.create(p.id, ref(p)));
}

export async function markRefunded(tx: Tx, paymentId: string, amount: number, actor: string | null): Promise<Payment> {
  const [p] = await tx.update(payments).set({
    refundedAmount: sql`${payments.refundedAmount} + ${amount}`,
    status: sql`case when ${payments.refundedAmount} + ${amount} >= ${payments.capturedAmount} then 'refunded' else 'partially_refunded' end`,
    updatedAt: sql`now()`,
  }).where(sql`${payments.id} = ${paymentId} and ${payments.refundedAmount} + ${amount} <= ${payments.capturedAmount}`).returning();
  if (!p) throw problem(422, 'refund-exceeds-capture', 'The refund is more than what was captured and not yet refunded', { amount });
  await appendAudit(tx, { action: 'payment.refunded', actor, subjectType: 'payment', subjectId: p.id, data: { orderId: p.orderId, amount, currency: p.currency, refundedTotal: p.refundedAmount } });
  await publish(tx, paymentRefunded.create(p.id, { ...ref(p), amount }));
  return p;
}
