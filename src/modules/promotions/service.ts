import { and, asc, desc, eq, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db/database.js';
import { selectRows } from '../../platform/db/database.js';
import { publish } from '../../platform/events/outbox.js';
import { problem, type Problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { productGroups } from '../catalog/for-promotions.js';
import type { PromotionAdjustment } from '../carts/totals.js';
import { promotionRedeemed, promotionReleased } from './events.js';
import { cartPromotions, promotionCustomerUses, promotionRedemptions, promotions, type PromotionTargets } from './schema.js';
import { prepared, type Placeholders } from '../../platform/db/prepared.js';

export type Promotion = typeof promotions.$inferSelect;
export type PromotionKind = Promotion['kind'];

export interface PromotionInput {
  code?: string | null;
  title: string;
  kind: PromotionKind;
  value?: number;
  currency?: string | null;
  buyQuantity?: number | null;
  getQuantity?: number | null;
  minSubtotal?: number;
  targets?: PromotionTargets;
  startsAt?: string | null;
  endsAt?: string | null;
  active?: boolean;
  usageLimit?: number | null;
  perCustomerLimit?: number | null;
}

/** What a cart offers a promotion to decide on. */
export interface CartForPromotions {
  id: string;
  currency: string;
  customerId: string | null;
  email: string | null;
}
export interface PromotionLine {
  id: string;
  productId: string;
  unitAmount: number;
  quantity: number;
}

const normalizeCode = (code: string) => code.trim().toUpperCase();
export const customerKeyOf = (cart: { customerId: string | null; email: string | null }): string | null =>
  cart.customerId ?? (cart.email ? `email:${cart.email.trim().toLowerCase()}` : null);

function checkInput(p: PromotionInput): void {
  const value = p.value ?? 0;
  if (p.kind === 'percentage' && (value < 1 || value > 10_000)) throw problem(422, 'invalid-promotion', 'A percentage is 1 to 10000 basis points (10000 = 100 %)', { field: 'value' });
  if (p.kind === 'fixed' && (value < 1 || !p.currency)) throw problem(422, 'invalid-promotion', 'A fixed amount needs a positive value in minor units and its currency', { field: p.currency ? 'value' : 'currency' });
  if (p.kind === 'bxgy') {
    if (!p.buyQuantity || !p.getQuantity) throw problem(422, 'invalid-promotion', 'Buy-X-get-Y needs buyQuantity and getQuantity', { field: 'buyQuantity' });
    if (value < 1 || value > 10_000) throw problem(422, 'invalid-promotion', 'Buy-X-get-Y takes value basis points off the Y units (10000 = free)', { field: 'value' });
  }
  if ((p.minSubtotal ?? 0) > 0 && !p.currency) throw problem(422, 'invalid-promotion', 'A minimum subtotal needs a currency', { field: 'currency' });
  if (p.startsAt && p.endsAt && Date.parse(p.endsAt) <= Date.parse(p.startsAt)) throw problem(422, 'invalid-promotion', 'endsAt must be after startsAt', { field: 'endsAt' });
}

function duplicateCode(error: unknown, code: string | null | undefined): never {
  const text = String((error as { cause?: { message?: string } })?.cause?.message ?? (error as Error)?.message ?? '');
  if (/unique|duplicate/i.test(text)) throw problem(409, 'promotion-code-taken', `The code ${code} is already used by another promotion`, { code });
  throw error;
}

export async function createPromotion(tx: Tx, input: PromotionInput): Promise<Promotion> {
  checkInput(input);
  const row = { ...input, id: newId(), code: input.code ? normalizeCode(input.code) : null };
  const existing = row.code ? await tx.select({ id: promotions.id }).from(promotions).where(eq(promotions.code, row.code)) : [];
  if (existing.length) duplicateCode(new Error('duplicate'), row.code);
  const [made] = await tx.insert(promotions).values(row).returning().catch((e: unknown) => duplicateCode(e, row.code));
  return made as Promotion;
}

export async function getPromotion(db: Db, id: string): Promise<Promotion> {
  const [p] = await db.select().from(promotions).where(eq(promotions.id, id));
  if (!p) throw problem(404, 'promotion-not-found', `No promotion ${id}`, { promotionId: id });
  return p;
}

export async function updatePromotion(tx: Tx, id: string, patch: Partial<PromotionInput>): Promise<Promotion> {
  const current = await getPromotion(tx, id);
  const next = { ...current, ...patch, code: patch.code === undefined ? current.code : patch.code ? normalizeCode(patch.code) : null };
  checkInput(next as PromotionInput);
  if (next.usageLimit != null && next.usageLimit < current.used) throw problem(422, 'invalid-promotion', `usageLimit cannot go below the ${current.used} uses already taken`, { field: 'usageLimit', used: current.used });
  if (next.code && next.code !== current.code) {
    const taken = await tx.select({ id: promotions.id }).from(promotions).where(eq(promotions.code, next.code));
    if (taken.length) duplicateCode(new Error('duplicate'), next.code);
  }
  const { id: _id, used: _used, createdAt: _c, ...fields } = next;
  const [row] = await tx.update(promotions).set({ ...fields, updatedAt: sql`now()` }).where(eq(promotions.id, id)).returning();
  return row as Promotion;
}

export async function deletePromotion(tx: Tx, id: string): Promise<void> {
  await getPromotion(tx, id);
  const [{ n } = { n: 0 }] = await tx.select({ n: sql<number>`count(*)::int` }).from(promotionRedemptions).where(eq(promotionRedemptions.promotionId, id));
  // A promotion orders used stays, so their history keeps its meaning: deactivate it instead.
  if (n > 0) throw problem(409, 'promotion-in-use', 'Orders used this promotion; deactivate it (active: false) instead of deleting it', { promotionId: id, redemptions: n });
  await tx.delete(promotions).where(eq(promotions.id, id));
}

export async function listPromotions(db: Db, opts: { limit: number; after?: string }) {
  const rows = await db.select().from(promotions).where(opts.after ? lt(promotions.id, opts.after) : undefined).orderBy(desc(promotions.id)).limit(opts.limit + 1);
  return { items: rows.slice(0, opts.limit), nextCursor: rows.length > opts.limit ? (rows[opts.limit - 1] as Promotion).id : null };
}

/** Why a promotion does not apply to this cart now, as the precise problem a shopper gets; null when it applies. */
async function whyNot(db: Db, p: Promotion, cart: CartForPromotions, subtotal: number, now: number): Promise<Problem | null> {
  const code = p.code ?? p.title;
  if (!p.active) return problem(422, 'promotion-inactive', `${code} is not active`, { code });
  if (p.startsAt && Date.parse(p.startsAt) > now) return problem(422, 'promotion-not-started', `${code} starts at ${p.startsAt}`, { code, startsAt: p.startsAt });
  if (p.endsAt && Date.parse(p.endsAt) <= now) return problem(422, 'promotion-expired', `${code} ended at ${p.endsAt}`, { code, endsAt: p.endsAt });
  if (p.currency && p.currency !== cart.currency) return problem(422, 'promotion-currency-mismatch', `${code} is for ${p.currency} carts; this cart is in ${cart.currency}`, { code, currency: p.currency });
  if (p.usageLimit !== null && p.used >= p.usageLimit) return problem(409, 'promotion-exhausted', `${code} has been used up`, { code, usageLimit: p.usageLimit });
  const key = customerKeyOf(cart);
  if (p.perCustomerLimit !== null && key) {
    const [use] = await db.select({ used: promotionCustomerUses.used }).from(promotionCustomerUses).where(and(eq(promotionCustomerUses.promotionId, p.id), eq(promotionCustomerUses.customerKey, key)));
    if ((use?.used ?? 0) >= p.perCustomerLimit) return problem(409, 'promotion-customer-limit', `You have already used ${code} ${p.perCustomerLimit === 1 ? 'once' : `${p.perCustomerLimit} times`}`, { code, perCustomerLimit: p.perCustomerLimit });
  }
  if (subtotal < p.minSubtotal) return problem(422, 'promotion-minimum-not-met', `${code} needs a subtotal of at least ${p.minSubtotal} (${p.currency}); the cart has ${subtotal}`, { code, minSubtotal: p.minSubtotal, subtotal });
  return null;
}

function targetedLineIds(p: Promotion, lines: readonly PromotionLine[], groups: Map<string, { categoryIds: string[]; collectionIds: string[] }>): string[] | undefined {
  const t = p.targets;
  if (!t.productIds?.length && !t.categoryIds?.length && !t.collectionIds?.length) return undefined;
  return lines.filter((l) => {
    const g = groups.get(l.productId);
    return Boolean(t.productIds?.includes(l.productId) || g?.categoryIds.some((c) => t.categoryIds?.includes(c)) || g?.collectionIds.some((c) => t.collectionIds?.includes(c)));
  }).map((l) => l.id);
}

const ORDER: Record<PromotionKind, number> = { bxgy: 0, percentage: 1, fixed: 2, free_shipping: 3 };

function adjustmentOf(p: Promotion, lineIds: string[] | undefined): PromotionAdjustment {
  const scope = lineIds ? { lineIds } : {};
  if (p.kind === 'free_shipping') return { id: p.id, kind: 'free_shipping' };
  if (p.kind === 'fixed') return { id: p.id, kind: 'fixed', amount: p.value, ...scope };
  if (p.kind === 'bxgy') return { id: p.id, kind: 'bxgy', buy: p.buyQuantity ?? 1, get: p.getQuantity ?? 1, basisPoints: p.value, ...scope };
  return { id: p.id, kind: 'percentage', basisPoints: p.value, ...scope };
}

export interface CartPromotions {
  adjustments: PromotionAdjustment[];
  applied: Pick<Promotion, 'id' | 'code' | 'title' | 'kind'>[];
  /** Codes on the cart that do not apply now, with the reason. */
  rejected: { code: string; type: string; detail: string }[];
}

const codesAndAutomatic = prepared((db, p: Placeholders<{ cartId: string }>) =>
  db.select({ p: promotions, byCode: sql<boolean>`${cartPromotions.cartId} is not null` }).from(promotions)
    .leftJoin(cartPromotions, and(eq(cartPromotions.promotionId, promotions.id), eq(cartPromotions.cartId, p.cartId)))
    .where(or(isNotNull(cartPromotions.cartId), and(isNull(promotions.code), eq(promotions.active, true)))));

// codesAndAutomatic for many carts at once: a code's row names the cart it is on, an automatic promotion's none.
const codesAndAutomaticOfCarts = prepared((db, p: Placeholders<{ cartIds: string[] }>) =>
  db.select({ p: promotions, cartId: cartPromotions.cartId }).from(promotions)
    .leftJoin(cartPromotions, and(eq(cartPromotions.promotionId, promotions.id), sql`${cartPromotions.cartId} = any(${p.cartIds})`))
    .where(or(isNotNull(cartPromotions.cartId), and(isNull(promotions.code), eq(promotions.active, true)))));

/** A cart's codes and the shop's active automatic promotions, as read for it: what promotionsForCart decides on. */
export type PromotionCandidates = { p: Promotion; byCode: boolean }[];

/**
 * The promotions a cart gets now: its codes and every automatic promotion that applies, in
 * the order totals apply them. With `strict` (checkout) a code that no longer applies is an
 * error; otherwise (showing the cart) it is listed as rejected. `candidates`: when read already
 * (promotionCandidatesOfCarts).
 */
export async function promotionsForCart(db: Db, cart: CartForPromotions, lines: readonly PromotionLine[], opts: { strict?: boolean; now?: number; candidates?: PromotionCandidates } = {}): Promise<CartPromotions> {
  if (lines.length === 0) return noPromotions();
  // The cart's codes and the shop's active automatic promotions in one read (it runs on every cart view and twice per checkout).
  return decided(db, cart, lines, opts.candidates ?? (await codesAndAutomatic(db, { cartId: cart.id })), opts);
}

/** The promotion candidates of many carts, in one read for all; by cart id. */
export async function promotionCandidatesOfCarts(db: Db, cartIds: readonly string[]): Promise<Map<string, PromotionCandidates>> {
  const found = cartIds.length > 0 ? await codesAndAutomaticOfCarts(db, { cartIds: [...cartIds] }) : [];
  const automatic = found.filter((f) => f.cartId === null).map(({ p }) => ({ p, byCode: false }));
  return new Map(cartIds.map((id) => [id, [...found.filter((f) => f.cartId === id).map(({ p }) => ({ p, byCode: true })), ...automatic]]));
}

const noPromotions = (): CartPromotions => ({ adjustments: [], applied: [], rejected: [] });

async function decided(db: Db, cart: CartForPromotions, lines: readonly PromotionLine[], found: PromotionCandidates, opts: { strict?: boolean; now?: number }): Promise<CartPromotions> {
  const now = opts.now ?? Date.now();
  const out = noPromotions();
  if (found.length === 0) return out;
  const subtotal = lines.reduce((s, l) => s + l.unitAmount * l.quantity, 0);
  const groups = await productGroups(db, lines.map((l) => l.productId));
  const candidates = [...found.filter((f) => f.byCode), ...found.filter((f) => !f.byCode)];
  const chosen: { p: Promotion; lineIds: string[] | undefined }[] = [];
  for (const { p, byCode } of candidates) {
    let reason = await whyNot(db, p, cart, subtotal, now);
    const lineIds = targetedLineIds(p, lines, groups);
    if (!reason && lineIds?.length === 0) reason = problem(422, 'promotion-not-applicable', `${p.code ?? p.title} applies to none of the items in the cart`, { code: p.code });
    if (!reason) chosen.push({ p, lineIds });
    else if (byCode) {
      if (opts.strict) throw reason;
      out.rejected.push({ code: p.code ?? '', type: `/problems/${reason.slug}`, detail: reason.message });
    }
  }
  chosen.sort((a, b) => ORDER[a.p.kind] - ORDER[b.p.kind] || (a.p.createdAt < b.p.createdAt ? -1 : a.p.createdAt > b.p.createdAt ? 1 : 0));
  out.adjustments = chosen.map((c) => adjustmentOf(c.p, c.lineIds));
  out.applied = chosen.map(({ p }) => ({ id: p.id, code: p.code, title: p.title, kind: p.kind }));
  return out;
}

/** Applies a code to a cart, refusing with the precise reason it cannot apply now. */
export async function applyCode(tx: Tx, cart: CartForPromotions, code: string, lines: readonly PromotionLine[]): Promise<void> {
  const normalized = normalizeCode(code);
  const [p] = await tx.select().from(promotions).where(eq(promotions.code, normalized));
  if (!p) throw problem(404, 'promotion-not-found', `No promotion with the code ${normalized}`, { code: normalized });
  if (lines.length === 0) throw problem(422, 'cart-empty', 'Add items before applying a code', { code: normalized });
  const reason = await whyNot(tx, p, cart, lines.reduce((s, l) => s + l.unitAmount * l.quantity, 0), Date.now());
  if (reason) throw reason;
  if (targetedLineIds(p, lines, await productGroups(tx, lines.map((l) => l.productId)))?.length === 0) {
    throw problem(422, 'promotion-not-applicable', `${normalized} applies to none of the items in the cart`, { code: normalized });
  }
  await tx.insert(cartPromotions).values({ cartId: cart.id, promotionId: p.id }).onConflictDoNothing();
}

export async function removeCode(tx: Tx, cartId: string, code: string): Promise<void> {
  const normalized = normalizeCode(code);
  const [p] = await tx.select({ id: promotions.id }).from(promotions).where(eq(promotions.code, normalized));
  const removed = p ? await tx.delete(cartPromotions).where(and(eq(cartPromotions.cartId, cartId), eq(cartPromotions.promotionId, p.id))).returning() : [];
  if (removed.length === 0) throw problem(404, 'promotion-not-on-cart', `The code ${normalized} is not applied to this cart`, { code: normalized });
}

/**
 * Takes the uses of the promotions an order got, in the transaction that places it. The
 * guarded UPDATE (used < limit) and the conditional upsert per customer are what make the
 * last use impossible to take twice, across any number of processes; rows are taken in id
 * order so two orders never wait on each other in a cycle.
 */
export async function redeemPromotions(tx: Tx, input: { orderId: string; cart: CartForPromotions; taken: readonly { id: string; amount: number }[] }): Promise<void> {
  const key = customerKeyOf(input.cart) ?? `order:${input.orderId}`;
  for (const { id, amount } of [...input.taken].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    // Still on, too: the order may carry the totals its checkout opened with, priced moments ago.
    const [row] = await selectRows<{ code: string | null; title: string; per_customer_limit: number | null }>(tx, sql`
      update ${promotions} set used = used + 1, updated_at = now()
      where id = ${id} and (usage_limit is null or used < usage_limit) and active and (ends_at is null or ends_at > now())
      returning code, title, per_customer_limit`);
    if (!row) throw await notRedeemable(tx, id);
    if (row.per_customer_limit !== null) {
      const [use] = await selectRows<{ used: number }>(tx, sql`
        insert into ${promotionCustomerUses} (promotion_id, customer_key, used) values (${id}, ${key}, 1)
        on conflict (promotion_id, customer_key) do update set used = ${promotionCustomerUses.used} + 1
        where ${promotionCustomerUses.used} < ${row.per_customer_limit}
        returning used`);
      if (!use) throw problem(409, 'promotion-customer-limit', `You have already used ${row.code ?? row.title} as often as it allows`, { code: row.code, perCustomerLimit: row.per_customer_limit });
    }
    await tx.insert(promotionRedemptions).values({ id: newId(), promotionId: id, orderId: input.orderId, customerKey: key, amount, currency: input.cart.currency });
    await publish(tx, promotionRedeemed.create(id, { promotionId: id, orderId: input.orderId, amount, currency: input.cart.currency }));
  }
}

/** Why the guarded update took no use of a promotion an order got. */
async function notRedeemable(tx: Tx, id: string): Promise<Problem> {
  const [p] = await tx.select().from(promotions).where(eq(promotions.id, id));
  const code = p?.code ?? p?.title ?? id;
  if (p && !p.active) return problem(409, 'promotion-inactive', `${code} was switched off while you were checking out; remove it and check out again`, { code: p.code });
  if (p?.endsAt && Date.parse(p.endsAt) <= Date.now()) return problem(409, 'promotion-expired', `${code} ended at ${p.endsAt}, while you were checking out; remove it and check out again`, { code: p.code, endsAt: p.endsAt });
  return problem(409, 'promotion-exhausted', `${code} was used up while you were checking out; remove it and check out again`, { code: p?.code ?? null });
}

/** Gives back the uses of a cancelled order (idempotent: a released redemption stays released). */
export async function releaseRedemptions(tx: Tx, orderId: string, reason: string): Promise<void> {
  const released = await tx.update(promotionRedemptions).set({ status: 'released', releasedAt: sql`now()` })
    .where(and(eq(promotionRedemptions.orderId, orderId), eq(promotionRedemptions.status, 'redeemed'))).returning();
  for (const r of released.sort((a, b) => (a.promotionId < b.promotionId ? -1 : 1))) {
    await tx.update(promotions).set({ used: sql`greatest(${promotions.used} - 1, 0)`, updatedAt: sql`now()` }).where(eq(promotions.id, r.promotionId));
    await tx.update(promotionCustomerUses).set({ used: sql`greatest(${promotionCustomerUses.used} - 1, 0)` })
      .where(and(eq(promotionCustomerUses.promotionId, r.promotionId), eq(promotionCustomerUses.customerKey, r.customerKey)));
    await publish(tx, promotionReleased.create(r.promotionId, { promotionId: r.promotionId, orderId, reason }));
  }
}

export async function redemptionsOf(db: Db, promotionId: string) {
  return db.select().from(promotionRedemptions).where(eq(promotionRedemptions.promotionId, promotionId)).orderBy(asc(promotionRedemptions.createdAt));
}

/** Merge on login: the codes of a cart being folded into another go with its lines. */
export async function moveCartCodes(tx: Tx, fromCartId: string, toCartId: string): Promise<void> {
  for (const row of await tx.delete(cartPromotions).where(eq(cartPromotions.cartId, fromCartId)).returning()) {
    await tx.insert(cartPromotions).values({ cartId: toCartId, promotionId: row.promotionId }).onConflictDoNothing();
  }
}
