import type { Seeder } from '../../platform/seed.js';
import { inArray } from 'drizzle-orm';
import { promotions } from './schema.js';
import { createPromotion, type PromotionInput } from './service.js';

/** Demo codes a shopper can try in the embedded demo; made once. */
export const promotionsSeeder: Seeder = {
  name: 'promotions',
  async run({ database }) {
    await database.transaction(async (tx) => {
      const demo: (PromotionInput & { code: string })[] = [
        { code: 'WELCOME10', title: '10 % off your first order', kind: 'percentage', value: 1000, perCustomerLimit: 1 },
        { code: 'FREESHIP', title: 'Free shipping over $50', kind: 'free_shipping', currency: 'USD', minSubtotal: 5000 },
        { code: 'TENOFF', title: '€10 off orders over €80', kind: 'fixed', value: 1000, currency: 'EUR', minSubtotal: 8000, usageLimit: 500 },
        { code: 'BUY2GET1', title: 'Buy two, get the cheapest third free', kind: 'bxgy', value: 10_000, buyQuantity: 2, getQuantity: 1 },
      ];
      const existing = new Set((await tx.select({ code: promotions.code }).from(promotions).where(inArray(promotions.code, demo.map((d) => d.code)))).map((r) => r.code));
      for (const d of demo) if (!existing.has(d.code)) await createPromotion(tx, d);
    });
  },
};
