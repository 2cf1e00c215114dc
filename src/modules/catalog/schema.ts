import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
};

/** A typed custom attribute: the type tells the storefront how to show and filter it. */
export interface ProductAttribute {
  key: string;
  type: 'text' | 'number' | 'boolean';
  value: string | number | boolean;
}

export interface ProductOption {
  name: string;
  values: string[];
}

export const products = pgTable('catalog_products', {
  id: uuid('id').primaryKey(),
  handle: text('handle').notNull().unique(),
  title: text('title').notNull(),
  /** Sanitised HTML: only what sanitizeDescription lets through is ever stored. */
  descriptionHtml: text('description_html').notNull().default(''),
  status: text('status', { enum: ['draft', 'published', 'archived'] }).notNull().default('draft'),
  productType: text('product_type').notNull().default(''),
  vendor: text('vendor').notNull().default(''),
  tags: jsonb('tags').$type<string[]>().notNull().default([]),
  seoTitle: text('seo_title'),
  seoDescription: text('seo_description'),
  attributes: jsonb('attributes').$type<ProductAttribute[]>().notNull().default([]),
  options: jsonb('options').$type<ProductOption[]>().notNull().default([]),
  ratingSum: integer('rating_sum').notNull().default(0),
  ratingCount: integer('rating_count').notNull().default(0),
  /** Units sold, for the best-selling sort; orders will feed it through events. */
  salesCount: integer('sales_count').notNull().default(0),
  /** Bumped by every change: optimistic concurrency for admins and the ETag of reads. */
  version: integer('version').notNull().default(1),
  ...timestamps,
}, (t) => [index('catalog_products_status').on(t.status, t.createdAt)]);

export const variants = pgTable('catalog_variants', {
  id: uuid('id').primaryKey(),
  productId: uuid('product_id').notNull().references(() => products.id, { onDelete: 'cascade' }),
  sku: text('sku').notNull().unique(),
  barcode: text('barcode'),
  title: text('title').notNull().default(''),
  weightGrams: integer('weight_grams'),
  /** One value per product option, in the product's option order. */
  optionValues: jsonb('option_values').$type<string[]>().notNull().default([]),
  position: integer('position').notNull().default(0),
  /** Stock on hand as last announced by inventory; the catalog only filters on it. */
  inventoryQuantity: integer('inventory_quantity').notNull().default(0),
  ...timestamps,
}, (t) => [index('catalog_variants_product').on(t.productId, t.position)]);

export const priceLists = pgTable('catalog_price_lists', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  /** sale: applies when cheaper than the base price; override: replaces it whatever it is. */
  kind: text('kind', { enum: ['sale', 'override'] }).notNull().default('sale'),
  customerGroup: text('customer_group'),
  region: text('region'),
  startsAt: timestamp('starts_at', { withTimezone: true, mode: 'string' }),
  endsAt: timestamp('ends_at', { withTimezone: true, mode: 'string' }),
  ...timestamps,
}, (t) => [check('catalog_price_lists_dates', sql`${t.endsAt} is null or ${t.startsAt} is null or ${t.endsAt} > ${t.startsAt}`)]);

export const prices = pgTable('catalog_prices', {
  id: uuid('id').primaryKey(),
  variantId: uuid('variant_id').notNull().references(() => variants.id, { onDelete: 'cascade' }),
  /** Null for the variant's base price in this currency. */
  priceListId: uuid('price_list_id').references(() => priceLists.id, { onDelete: 'cascade' }),
  currency: text('currency').notNull(),
  /** Integer minor units (cents, pence). */
  amount: bigint('amount', { mode: 'number' }).notNull(),
  compareAt: bigint('compare_at', { mode: 'number' }),
}, (t) => [
  unique('catalog_prices_one_per_list').on(t.variantId, t.currency, t.priceListId).nullsNotDistinct(),
  index('catalog_prices_list').on(t.priceListId),
  check('catalog_prices_amount', sql`${t.amount} >= 0 and (${t.compareAt} is null or ${t.compareAt} >= 0)`),
]);

export const categories = pgTable('catalog_categories', {
  id: uuid('id').primaryKey(),
  parentId: uuid('parent_id'),
  handle: text('handle').notNull().unique(),
  name: text('name').notNull(),
  position: integer('position').notNull().default(0),
  ...timestamps,
}, (t) => [index('catalog_categories_parent').on(t.parentId, t.position)]);

export const productCategories = pgTable('catalog_product_categories', {
  productId: uuid('product_id').notNull().references(() => products.id, { onDelete: 'cascade' }),
  categoryId: uuid('category_id').notNull().references(() => categories.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.productId, t.categoryId] }), index('catalog_product_categories_category').on(t.categoryId)]);

/** Rules of an automatic collection: a product belongs when it matches every rule given. */
export interface CollectionRules {
  tagsAny?: string[];
  productTypes?: string[];
  vendors?: string[];
  price?: { currency: string; min?: number; max?: number };
}

export const collections = pgTable('catalog_collections', {
  id: uuid('id').primaryKey(),
  handle: text('handle').notNull().unique(),
  title: text('title').notNull(),
  descriptionHtml: text('description_html').notNull().default(''),
  /** Null for a manual collection (members listed in catalog_collection_products). */
  rules: jsonb('rules').$type<CollectionRules>(),
  ...timestamps,
});

export const collectionProducts = pgTable('catalog_collection_products', {
  collectionId: uuid('collection_id').notNull().references(() => collections.id, { onDelete: 'cascade' }),
  productId: uuid('product_id').notNull().references(() => products.id, { onDelete: 'cascade' }),
  position: integer('position').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.collectionId, t.productId] }), index('catalog_collection_products_product').on(t.productId)]);

/** Ordered product images; the file itself belongs to the media module (by id, no foreign key across modules). */
export const productImages = pgTable('catalog_product_images', {
  id: uuid('id').primaryKey(),
  productId: uuid('product_id').notNull().references(() => products.id, { onDelete: 'cascade' }),
  mediaId: uuid('media_id'),
  /** For images that live elsewhere (e.g. a Shopify CSV's Image Src). */
  url: text('url'),
  alt: text('alt').notNull().default(''),
  position: integer('position').notNull().default(0),
}, (t) => [index('catalog_product_images_product').on(t.productId, t.position)]);

export const reviews = pgTable('catalog_reviews', {
  id: uuid('id').primaryKey(),
  productId: uuid('product_id').notNull().references(() => products.id, { onDelete: 'cascade' }),
  customerId: text('customer_id').notNull(),
  authorName: text('author_name').notNull().default(''),
  rating: integer('rating').notNull(),
  title: text('title').notNull().default(''),
  body: text('body').notNull().default(''),
  verifiedPurchase: boolean('verified_purchase').notNull().default(false),
  hidden: boolean('hidden').notNull().default(false),
  ...timestamps,
}, (t) => [
  unique('catalog_reviews_one_per_customer').on(t.productId, t.customerId),
  index('catalog_reviews_product').on(t.productId, t.createdAt),
  check('catalog_reviews_rating', sql`${t.rating} between 1 and 5`),
]);

/**
 * What each customer bought, as the orders module announced it (order.placed with product ids,
 * order.delivered, order.cancelled): the catalog's own record for "verified purchase" reviews,
 * so it never reads the orders tables.
 */
export const purchases = pgTable('catalog_purchases', {
  orderId: uuid('order_id').notNull(),
  productId: uuid('product_id').notNull(),
  customerId: text('customer_id').notNull(),
  deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'string' }),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.orderId, t.productId] }),
  index('catalog_purchases_customer').on(t.customerId, t.productId),
]);
