import type { Seeder } from '../../platform/seed.js';
import { regions } from './schema.js';
import { addShippingOption, addTaxRate, createRegion } from './service.js';

const EU_VAT: Record<string, number> = { AT: 2000, BE: 2100, DE: 1900, ES: 2100, FI: 2550, FR: 2000, IE: 2300, IT: 2200, NL: 2100, PT: 2300 };

/**
 * Demo zones: the US (prices before tax, a few state sales taxes), the EU (VAT included in the
 * price, each country's standard rate) and the UK (VAT included). Each has a standard flat
 * option free over a threshold and a weight-based express option.
 */
export const regionsSeeder: Seeder = {
  name: 'regions',
  async run({ database }) {
    await database.transaction(async (tx) => {
      if ((await tx.select({ id: regions.id }).from(regions).limit(1)).length) return;
      const us = await createRegion(tx, { code: 'us', name: 'United States', currency: 'USD', countries: ['US'], taxInclusive: false, defaultTaxRateBps: 0 });
      for (const [sub, name, rateBps] of [['CA', 'California sales tax', 725], ['NY', 'New York sales tax', 400], ['TX', 'Texas sales tax', 625], ['WA', 'Washington sales tax', 650]] as const) {
        await addTaxRate(tx, us.id, { country: 'US', subdivision: sub, name, rateBps });
      }
      await addShippingOption(tx, us.id, { name: 'Standard (5–7 days)', kind: 'flat', amount: 595, freeOver: 5000 });
      await addShippingOption(tx, us.id, { name: 'Express (2 days)', kind: 'weight', bands: [{ upToGrams: 1000, amount: 1295 }, { upToGrams: 5000, amount: 1995 }, { upToGrams: 30_000, amount: 3995 }] });
      const eu = await createRegion(tx, { code: 'eu', name: 'European Union', currency: 'EUR', countries: Object.keys(EU_VAT), taxInclusive: true, defaultTaxRateBps: 2000 });
      for (const [country, rateBps] of Object.entries(EU_VAT)) await addTaxRate(tx, eu.id, { country, name: `${country} VAT`, rateBps });
      await addShippingOption(tx, eu.id, { name: 'Standard', kind: 'flat', amount: 495, freeOver: 6000 });
      await addShippingOption(tx, eu.id, { name: 'Express', kind: 'weight', bands: [{ upToGrams: 2000, amount: 1490 }, { upToGrams: 30_000, amount: 2990 }] });
      const uk = await createRegion(tx, { code: 'uk', name: 'United Kingdom', currency: 'GBP', countries: ['GB'], taxInclusive: true, defaultTaxRateBps: 2000 });
      await addTaxRate(tx, uk.id, { country: 'GB', name: 'UK VAT', rateBps: 2000 });
      await addShippingOption(tx, uk.id, { name: 'Royal Mail 2nd class', kind: 'flat', amount: 395, freeOver: 4000 });
      await addShippingOption(tx, uk.id, { name: 'Next day', kind: 'weight', bands: [{ upToGrams: 2000, amount: 995 }, { upToGrams: 30_000, amount: 1995 }] });
    });
  },
};
