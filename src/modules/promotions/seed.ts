import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import type { EventEnvelope } from '../../platform/events/envelope.js';
import { newId } from '../../platform/ids.js';
import type { Seeder } from '../../platform/seed.js';
import { promotionRedeemed, promotionReleased } from './events.js';
import { promotionCustomerUses, promotionRedemptions, promotions } from './schema.js';
import { createPromotion, type Promotion, type PromotionInput } from './service.js';

/** Demo codes a shopper can try in the embedded demo; made once. */
export const promotionsSeeder: Seeder = {
  name: 'promotions',
  async run({ database }) {
    await database.transaction(async (tx) => {
      await ensurePromotions(tx, [
        { code: 'WELCOME10', title: '10 % off your first order', kind: 'percentage', value: 1000, perCustomerLimit: 1 },
        { code: 'FREESHIP', title: 'Free shipping over $50', kind: 'free_shipping', currency: 'USD', minSubtotal: 5000 },
        { code: 'TENOFF', title: '€10 off orders over €80', kind: 'fixed', value: 1000, currency: 'EUR', minSubtotal: 8000, usageLimit: 500 },
        { code: 'BUY2GET1', title: 'Buy two, get the cheapest third free', kind: 'bxgy', value: 10_000, buyQuantity: 2, getQuantity: 1 },
      ]);
    });
  },
};

/**
 * The promotions a seed needs, made through createPromotion when missing: a code is found by
 * its code, an automatic promotion by its title. A second seed finds the first one's.
 */
export async function ensurePromotions(tx: Tx, wanted: readonly PromotionInput[]): Promise<Promotion[]> {
  const codes = wanted.flatMap((w) => (w.code ? [w.code.toUpperCase()] : []));
  const byCode = codes.length ? await tx.select().from(promotions).where(inArray(promotions.code, codes)) : [];
  const out: Promotion[] = [];
  for (const w of wanted) {
    const found = w.code
      ? byCode.find((p) => p.code === w.code?.toUpperCase())
      : (await tx.select().from(promotions).where(and(isNull(promotions.code), eq(promotions.title, w.title))).limit(1))[0];
    out.push(found ?? await createPromotion(tx, w));
  }
  return out;
}

/** One use of a promotion by a seeded order; `releasedAt` when the order was cancelled later. */
export interface HistoricRedemption {
  promotionId: string;
  orderId: string;
  customerKey: string;
  amount: number;
  currency: string;
  at: string;
  releasedAt?: string;
  releaseReason?: string;
}

/**
 * Writes, in bulk, what redeemPromotions and releaseRedemptions write for orders placed in
 * the past: the redemption rows, the uses they take (a released one gives its use back) and
 * the events, returned with their historical time for the caller to store as history.
 */
export async function recordHistoricRedemptions(tx: Tx, list: readonly HistoricRedemption[]): Promise<EventEnvelope[]> {
  if (list.length === 0) return [];
  await tx.insert(promotionRedemptions).values(list.map((r) => ({
    id: newId(), promotionId: r.promotionId, orderId: r.orderId, customerKey: r.customerKey, amount: r.amount, currency: r.currency,
    status: r.releasedAt ? 'released' as const : 'redeemed' as const, createdAt: r.at, releasedAt: r.releasedAt ?? null,
  })));
  const kept = list.filter((r) => !r.releasedAt);
  const uses = new Map<string, number>();
  for (const r of kept) uses.set(r.promotionId, (uses.get(r.promotionId) ?? 0) + 1);
  // Ids in order, as redeemPromotions takes them, so a live checkout never waits on us in a cycle.
  for (const [id, n] of [...uses].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await tx.update(promotions).set({ used: sql`${promotions.used} + ${n}`, updatedAt: sql`now()` }).where(eq(promotions.id, id));
  }
  const limited = uses.size === 0 ? new Set<string>() : new Set((await tx.select({ id: promotions.id }).from(promotions)
    .where(and(inArray(promotions.id, [...uses.keys()]), sql`${promotions.perCustomerLimit} is not null`))).map((p) => p.id));
  for (const r of kept.filter((k) => limited.has(k.promotionId))) {
    await tx.insert(promotionCustomerUses).values({ promotionId: r.promotionId, customerKey: r.customerKey, used: 1 })
      .onConflictDoUpdate({ target: [promotionCustomerUses.promotionId, promotionCustomerUses.customerKey], set: { used: sql`${promotionCustomerUses.used} + 1` } });
  }
  return list.flatMap((r) => [
    promotionRedeemed.create(r.promotionId, { promotionId: r.promotionId, orderId: r.orderId, amount: r.amount, currency: r.currency }, { occurredAt: new Date(r.at) }),
    ...(r.releasedAt ? [promotionReleased.create(r.promotionId, { promotionId: r.promotionId, orderId: r.orderId, reason: r.releaseReason ?? 'cancelled' }, { occurredAt: new Date(r.releasedAt) })] : []),
  ]);
}
