import { resolvePrice, type PriceContext, type PriceListRule, type ResolvedPrice } from './pricing.js';
import type { ProductDoc } from './types.js';

/** What a shopper sees of a product, priced in one currency. */
export interface PricedProduct {
  /** The cheapest variant's price (what a card shows as "from"). */
  price: ResolvedPrice | null;
  maxAmount: number | null;
  inStock: boolean;
}

export function priceProduct(doc: ProductDoc, lists: ReadonlyMap<string, PriceListRule>, context: PriceContext): PricedProduct {
  let price: ResolvedPrice | null = null;
  let maxAmount: number | null = null;
  let inStock = false;
  for (const v of doc.variants) {
    if (v.inventoryQuantity > 0) inStock = true;
    const p = resolvePrice(v.prices, lists, context);
    if (!p) continue;
    if (!price || p.amount < price.amount) price = p;
    if (maxAmount === null || p.amount > maxAmount) maxAmount = p.amount;
  }
  return { price, maxAmount, inStock };
}

export function imageView(image: ProductDoc['images'][number]) {
  return {
    id: image.id,
    url: image.mediaId ? `/media/${image.mediaId}/480.webp` : image.url,
    srcset: image.mediaId ? ['160', '480', '1024'].map((w) => `/media/${image.mediaId}/${w}.webp ${w}w`).join(', ') : null,
    alt: image.alt,
  };
}

const rating = (doc: ProductDoc) => ({ average: doc.ratingCount ? Math.round((doc.ratingSum / doc.ratingCount) * 100) / 100 : null, count: doc.ratingCount });

/** A list card: small enough that 20 make about 12 KB. */
export function productSummary(doc: ProductDoc, priced: PricedProduct, categoryHandles: (id: string) => string | undefined) {
  return {
    id: doc.id,
    handle: doc.handle,
    title: doc.title,
    vendor: doc.vendor,
    productType: doc.productType,
    tags: doc.tags,
    categories: doc.categoryIds.map(categoryHandles).filter((h): h is string => h !== undefined),
    options: doc.options,
    image: doc.images[0] ? imageView(doc.images[0]) : null,
    price: priced.price,
    priceRange: priced.price ? { min: priced.price.amount, max: priced.maxAmount } : null,
    variantCount: doc.variants.length,
    inStock: priced.inStock,
    rating: rating(doc),
    createdAt: doc.createdAt,
  };
}

export function productDetail(doc: ProductDoc, lists: ReadonlyMap<string, PriceListRule>, context: PriceContext, categoryOf: (id: string) => { id: string; handle: string; name: string } | undefined) {
  const priced = priceProduct(doc, lists, context);
  return {
    id: doc.id,
    handle: doc.handle,
    title: doc.title,
    descriptionHtml: doc.descriptionHtml,
    vendor: doc.vendor,
    productType: doc.productType,
    tags: doc.tags,
    seo: { title: doc.seoTitle ?? doc.title, description: doc.seoDescription },
    attributes: doc.attributes,
    options: doc.options,
    categories: doc.categoryIds.map(categoryOf).filter((c) => c !== undefined),
    images: doc.images.map(imageView),
    variants: doc.variants.map((v) => ({
      id: v.id, sku: v.sku, title: v.title, barcode: v.barcode, weightGrams: v.weightGrams, optionValues: v.optionValues,
      inStock: v.inventoryQuantity > 0, price: resolvePrice(v.prices, lists, context),
    })),
    price: priced.price,
    priceRange: priced.price ? { min: priced.price.amount, max: priced.maxAmount } : null,
    inStock: priced.inStock,
    rating: rating(doc),
    version: doc.version,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
