import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db/database.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { regions, shippingOptions, taxRates, type WeightBand } from './schema.js';

export type Region = typeof regions.$inferSelect;
export type TaxRate = typeof taxRates.$inferSelect;
export type ShippingOption = typeof shippingOptions.$inferSelect;

export interface RegionInput {
  code: string;
  name: string;
  currency: string;
  countries: string[];
  taxInclusive?: boolean;
  defaultTaxRateBps?: number;
}
export interface ShippingOptionInput {
  name: string;
  kind: 'flat' | 'weight';
  amount?: number;
  bands?: WeightBand[];
  freeOver?: number | null;
  active?: boolean;
}

async function assertCountriesFree(db: Db, countries: readonly string[], exceptId: string | null): Promise<void> {
  const dup = countries.find((c, i) => countries.indexOf(c) !== i);
  if (dup) throw problem(422, 'invalid-region', `${dup} is listed twice`, { field: 'countries', country: dup });
  for (const r of await db.select({ id: regions.id, code: regions.code, countries: regions.countries }).from(regions)) {
    if (r.id === exceptId) continue;
    const clash = countries.find((c) => r.countries.includes(c));
    if (clash) throw problem(409, 'country-in-other-region', `${clash} already belongs to region ${r.code}`, { country: clash, region: r.code });
  }
}

export async function createRegion(tx: Tx, input: RegionInput): Promise<Region> {
  const [taken] = await tx.select({ id: regions.id }).from(regions).where(eq(regions.code, input.code));
  if (taken) throw problem(409, 'region-code-taken', `A region ${input.code} exists`, { code: input.code });
  await assertCountriesFree(tx, input.countries, null);
  const [row] = await tx.insert(regions).values({ id: newId(), ...input }).returning();
  return row as Region;
}

export async function getRegion(db: Db, id: string): Promise<Region> {
  const [r] = await db.select().from(regions).where(eq(regions.id, id));
  if (!r) throw problem(404, 'region-not-found', `No region ${id}`, { regionId: id });
  return r;
}

export async function updateRegion(tx: Tx, id: string, patch: Partial<RegionInput>): Promise<Region> {
  await getRegion(tx, id);
  if (patch.code) {
    const [taken] = await tx.select({ id: regions.id }).from(regions).where(eq(regions.code, patch.code));
    if (taken && taken.id !== id) throw problem(409, 'region-code-taken', `A region ${patch.code} exists`, { code: patch.code });
  }
  if (patch.countries) await assertCountriesFree(tx, patch.countries, id);
  const [row] = await tx.update(regions).set({ ...patch, updatedAt: sql`now()` }).where(eq(regions.id, id)).returning();
  return row as Region;
}

export async function deleteRegion(tx: Tx, id: string): Promise<void> {
  await getRegion(tx, id);
  await tx.delete(regions).where(eq(regions.id, id));
}

export async function regionView(db: Db, region: Region) {
  const rates = await db.select().from(taxRates).where(eq(taxRates.regionId, region.id)).orderBy(asc(taxRates.country), asc(taxRates.subdivision));
  const options = await db.select().from(shippingOptions).where(eq(shippingOptions.regionId, region.id)).orderBy(asc(shippingOptions.createdAt));
  return { ...region, taxRates: rates, shippingOptions: options };
}

export async function listRegions(db: Db) {
  const rows = await db.select().from(regions).orderBy(asc(regions.code));
  const out = [];
  for (const r of rows) out.push(await regionView(db, r));
  return out;
}

export async function addTaxRate(tx: Tx, regionId: string, input: { country: string; subdivision?: string; name: string; rateBps: number }): Promise<TaxRate> {
  const region = await getRegion(tx, regionId);
  if (!region.countries.includes(input.country)) throw problem(422, 'country-not-in-region', `${input.country} is not one of region ${region.code}'s countries`, { field: 'country', country: input.country });
  const subdivision = input.subdivision ?? '';
  const [taken] = await tx.select({ id: taxRates.id }).from(taxRates).where(and(eq(taxRates.country, input.country), eq(taxRates.subdivision, subdivision)));
  if (taken) throw problem(409, 'tax-rate-exists', `A rate for ${input.country}${subdivision ? `-${subdivision}` : ''} exists; change or delete it`, { taxRateId: taken.id });
  const [row] = await tx.insert(taxRates).values({ id: newId(), regionId, country: input.country, subdivision, name: input.name, rateBps: input.rateBps }).returning();
  return row as TaxRate;
}

export async function updateTaxRate(tx: Tx, regionId: string, id: string, patch: { name?: string; rateBps?: number }): Promise<TaxRate> {
  const [row] = await tx.update(taxRates).set(patch).where(and(eq(taxRates.id, id), eq(taxRates.regionId, regionId))).returning();
  if (!row) throw problem(404, 'tax-rate-not-found', `No tax rate ${id} in this region`, { taxRateId: id });
  return row;
}

export async function deleteTaxRate(tx: Tx, regionId: string, id: string): Promise<void> {
  const gone = await tx.delete(taxRates).where(and(eq(taxRates.id, id), eq(taxRates.regionId, regionId))).returning();
  if (gone.length === 0) throw problem(404, 'tax-rate-not-found', `No tax rate ${id} in this region`, { taxRateId: id });
}

function checkOption(o: Partial<ShippingOptionInput>): void {
  if (o.kind === 'weight' && !o.bands?.length) throw problem(422, 'invalid-shipping-option', 'A weight-based option needs at least one band', { field: 'bands' });
  const bands = o.bands ?? [];
  for (let i = 1; i < bands.length; i++) {
    if ((bands[i] as WeightBand).upToGrams <= (bands[i - 1] as WeightBand).upToGrams) throw problem(422, 'invalid-shipping-option', 'Bands go from the lightest to the heaviest, each heavier than the one before', { field: `bands.${i}.upToGrams` });
  }
}

export async function addShippingOption(tx: Tx, regionId: string, input: ShippingOptionInput): Promise<ShippingOption> {
  await getRegion(tx, regionId);
  checkOption(input);
  const [row] = await tx.insert(shippingOptions).values({ id: newId(), regionId, ...input }).returning();
  return row as ShippingOption;
}

export async function updateShippingOption(tx: Tx, regionId: string, id: string, patch: Partial<ShippingOptionInput>): Promise<ShippingOption> {
  const [current] = await tx.select().from(shippingOptions).where(and(eq(shippingOptions.id, id), eq(shippingOptions.regionId, regionId)));
  if (!current) throw problem(404, 'shipping-option-not-found', `No shipping option ${id} in this region`, { shippingOptionId: id });
  checkOption({ ...current, ...patch });
  const [row] = await tx.update(shippingOptions).set(patch).where(eq(shippingOptions.id, id)).returning();
  return row as ShippingOption;
}

export async function deleteShippingOption(tx: Tx, regionId: string, id: string): Promise<void> {
  const gone = await tx.delete(shippingOptions).where(and(eq(shippingOptions.id, id), eq(shippingOptions.regionId, regionId))).returning();
  if (gone.length === 0) throw problem(404, 'shipping-option-not-found', `No shipping option ${id} in this region`, { shippingOptionId: id });
}

/** What a cart ships to: country and, optionally, its subdivision (ISO 3166-2 suffix or a free-text region). */
export interface Destination {
  country: string;
  region?: string | null;
}

export interface TaxAndShipping {
  region: Region;
  /** Rate for the destination: subdivision rate, else country rate, else the region's default. */
  taxRateBps: number;
  options: ShippingOption[];
}

/** The region a destination is in, with its tax rate and active shipping options; null outside every region. */
export async function regionFor(db: Db, to: Destination): Promise<TaxAndShipping | null> {
  const country = to.country.toUpperCase();
  const [region] = await db.select().from(regions).where(sql`${regions.countries} @> ${JSON.stringify([country])}::jsonb`);
  if (!region) return null;
  const rates = await db.select().from(taxRates).where(and(eq(taxRates.regionId, region.id), eq(taxRates.country, country)));
  const sub = (to.region ?? '').trim().toUpperCase().replace(new RegExp(`^${country}-`), '');
  const rate = rates.find((r) => sub && r.subdivision === sub) ?? rates.find((r) => r.subdivision === '');
  const options = await db.select().from(shippingOptions).where(and(eq(shippingOptions.regionId, region.id), eq(shippingOptions.active, true))).orderBy(asc(shippingOptions.createdAt));
  return { region, taxRateBps: rate?.rateBps ?? region.defaultTaxRateBps, options };
}

/**
 * The price of an option for a cart: flat, or the band its weight falls in; free once the
 * subtotal after discounts reaches `freeOver`. Null when the cart is heavier than every band.
 */
export function shippingPrice(option: ShippingOption, cart: { weightGrams: number; discountedSubtotal: number }): number | null {
  if (option.freeOver !== null && cart.discountedSubtotal >= option.freeOver) return 0;
  if (option.kind === 'flat') return option.amount;
  const band = option.bands.find((b) => cart.weightGrams <= b.upToGrams);
  return band ? band.amount : null;
}
