import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { prepared, type Placeholders } from '../../platform/db/prepared.js';
import { resolvePrice, type PriceListRule, type ResolvedPrice } from './pricing.js';
import { priceLists, prices, products, variants } from './schema.js';

/**
 * What carts and checkout need to know about a variant, read straight from the catalog's
 * tables (not its in-memory view), so a price or status change is seen at checkout at once
 * even on another process. Exported for the carts and orders modules; they never read the tables.
 */
export interface CheckoutVariant {
  variantId: string;
  productId: string;
  sku: string;
  /** "Product — Variant" as a shopper would read it on a receipt. */
  title: string;
  /** Sellable now: the product is published. */
  published: boolean;
  weightGrams: number | null;
  /** The price for the asked currency and context; null when the variant has no price in it. */
  price: ResolvedPrice | null;
}

export interface CheckoutPriceContext {
  currency: string;
  region?: string | null;
  customerGroup?: string | null;
  now?: number;
}

const withPrices = (db: Db) => db.select({
  id: variants.id, productId: variants.productId, sku: variants.sku, title: variants.title, weightGrams: variants.weightGrams,
  productTitle: products.title, productStatus: products.status, price: prices,
}).from(variants).innerJoin(products, eq(products.id, variants.productId)).leftJoin(prices, eq(prices.variantId, variants.id));
// `= any(array)` rather than `in (…)`: one statement text, so one prepared statement, for any number of variants.
const variantsWithPrices = prepared((db, p: Placeholders<{ ids: string[] }>) => withPrices(db).where(sql`${variants.id} = any(${p.ids})`));
// PostgreSQL plans `= any($1)` afresh at every run (its cached plan guesses ten elements, so a fresh one always looks
// cheaper): 0.2 ms of its CPU each time. One variant, a line edit's and most checkouts', has a statement whose plan it keeps.
const variantWithPrices = prepared((db, p: Placeholders<{ id: string }>) => withPrices(db).where(eq(variants.id, p.id)));

export async function variantsForCheckout(db: Db, variantIds: readonly string[], context: CheckoutPriceContext): Promise<Map<string, CheckoutVariant>> {
  const out = new Map<string, CheckoutVariant>();
  const ids = [...new Set(variantIds)];
  if (ids.length === 0) return out;
  // One read: each variant with its product and (left joined) every price it has.
  const rows = ids.length === 1 ? await variantWithPrices(db, { id: ids[0] as string }) : await variantsWithPrices(db, { ids });
  if (rows.length === 0) return out;
  const priceRows = rows.flatMap((r) => (r.price ? [r.price] : []));
  const listIds = [...new Set(priceRows.map((p) => p.priceListId).filter((id): id is string => id !== null))];
  const lists = new Map<string, PriceListRule>();
  if (listIds.length > 0) {
    for (const l of await db.select().from(priceLists).where(inArray(priceLists.id, listIds))) {
      lists.set(l.id, {
        id: l.id, kind: l.kind, customerGroup: l.customerGroup, region: l.region,
        startsAt: l.startsAt ? Date.parse(l.startsAt) : null, endsAt: l.endsAt ? Date.parse(l.endsAt) : null,
      });
    }
  }
  const now = context.now ?? Date.now();
  for (const v of rows) {
    if (out.has(v.id)) continue;
    const rowsOfVariant = priceRows.filter((p) => p.variantId === v.id)
      .map((p) => ({ currency: p.currency, amount: p.amount, compareAt: p.compareAt, priceListId: p.priceListId }));
    out.set(v.id, {
      variantId: v.id, productId: v.productId, sku: v.sku,
      title: v.title ? `${v.productTitle} — ${v.title}` : v.productTitle,
      published: v.productStatus === 'published', weightGrams: v.weightGrams,
      price: resolvePrice(rowsOfVariant, lists, { currency: context.currency, region: context.region ?? null, customerGroup: context.customerGroup ?? null, now }),
    });
  }
  return out;
}

/** variantsForCheckout() for carts in any currencies: by currency, then variant (nearly always one read). */
export async function variantsInCurrencies(db: Db, wanted: readonly { currency: string; variantId: string }[]): Promise<Map<string, Map<string, CheckoutVariant>>> {
  const idsByCurrency = new Map<string, Set<string>>();
  for (const { currency, variantId } of wanted) idsByCurrency.set(currency, (idsByCurrency.get(currency) ?? new Set<string>()).add(variantId));
  const out = new Map<string, Map<string, CheckoutVariant>>();
  for (const [currency, ids] of idsByCurrency) out.set(currency, await variantsForCheckout(db, [...ids], { currency }));
  return out;
}
