import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** A zone of countries sharing a currency, a pricing mode (tax inclusive or not) and shipping options. */
export const regions = pgTable('regions', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  currency: text('currency').notNull(),
  /** ISO 3166-1 alpha-2 codes; a country belongs to one region at most (checked by the service). */
  countries: jsonb('countries').$type<string[]>().notNull().default([]),
  taxInclusive: boolean('tax_inclusive').notNull().default(false),
  /** Rate where no tax_rates row is more specific. */
  defaultTaxRateBps: integer('default_tax_rate_bps').notNull().default(0),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
}, (t) => [check('regions_rate', sql`${t.defaultTaxRateBps} between 0 and 10000`)]);

/** A rate for a country, or a subdivision of it (ISO 3166-2 suffix, e.g. CA for US-CA); the most specific wins. */
export const taxRates = pgTable('region_tax_rates', {
  id: uuid('id').primaryKey(),
  regionId: uuid('region_id').notNull().references(() => regions.id, { onDelete: 'cascade' }),
  country: text('country').notNull(),
  /** Empty for the whole country. */
  subdivision: text('subdivision').notNull().default(''),
  name: text('name').notNull(),
  rateBps: integer('rate_bps').notNull(),
}, (t) => [unique('region_tax_rates_place').on(t.country, t.subdivision), check('region_tax_rates_rate', sql`${t.rateBps} between 0 and 10000`)]);

export interface WeightBand {
  /** Up to and including this weight, in grams. */
  upToGrams: number;
  amount: number;
}

export const shippingOptions = pgTable('region_shipping_options', {
  id: uuid('id').primaryKey(),
  regionId: uuid('region_id').notNull().references(() => regions.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['flat', 'weight'] }).notNull(),
  /** Flat price (minor units of the region's currency). */
  amount: bigint('amount', { mode: 'number' }).notNull().default(0),
  /** Weight-based: price bands by total cart weight, lightest first. */
  bands: jsonb('bands').$type<WeightBand[]>().notNull().default([]),
  /** Free when the cart's subtotal after discounts reaches this (null: never free). */
  freeOver: bigint('free_over', { mode: 'number' }),
  active: boolean('active').notNull().default(true),
  createdAt: at('created_at').notNull().defaultNow(),
}, (t) => [index('region_shipping_options_region').on(t.regionId)]);
