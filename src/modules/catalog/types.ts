import type { ProductAttribute, ProductOption } from './schema.js';
import type { PriceRow } from './pricing.js';

export type ProductStatus = 'draft' | 'published' | 'archived';

export interface PriceInput {
  currency: string;
  amount: number;
  compareAt?: number | null;
}

export interface VariantInput {
  id?: string;
  sku: string;
  barcode?: string | null;
  title?: string;
  weightGrams?: number | null;
  optionValues?: string[];
  inventoryQuantity?: number;
  prices?: PriceInput[];
}

export interface ImageInput {
  mediaId?: string;
  url?: string;
  alt?: string;
}

export interface ProductInput {
  handle?: string;
  title: string;
  descriptionHtml?: string;
  status?: ProductStatus;
  productType?: string;
  vendor?: string;
  tags?: string[];
  seoTitle?: string | null;
  seoDescription?: string | null;
  attributes?: ProductAttribute[];
  options?: ProductOption[];
  categoryIds?: string[];
  images?: ImageInput[];
  variants?: VariantInput[];
}

export type ProductPatch = Partial<ProductInput>;

export interface VariantDoc {
  id: string;
  sku: string;
  barcode: string | null;
  title: string;
  weightGrams: number | null;
  optionValues: string[];
  position: number;
  inventoryQuantity: number;
  /** Base prices and price-list prices; resolve with resolvePrice. */
  prices: PriceRow[];
}

export interface ImageDoc {
  id: string;
  mediaId: string | null;
  url: string | null;
  alt: string;
  position: number;
}

/** A product with everything a read needs, as loaded from the database. */
export interface ProductDoc {
  id: string;
  handle: string;
  title: string;
  descriptionHtml: string;
  status: ProductStatus;
  productType: string;
  vendor: string;
  tags: string[];
  seoTitle: string | null;
  seoDescription: string | null;
  attributes: ProductAttribute[];
  options: ProductOption[];
  categoryIds: string[];
  collectionIds: string[];
  images: ImageDoc[];
  variants: VariantDoc[];
  ratingSum: number;
  ratingCount: number;
  salesCount: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}
