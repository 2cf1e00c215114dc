import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { problem } from '../../platform/http/problem.js';
import { assertCurrency } from './money.js';
import { prices, products, variants } from './schema.js';
import { updateProduct } from './products.js';
import type { ProductStatus } from './types.js';

export interface BulkEdit {
  status?: ProductStatus;
  vendor?: string;
  productType?: string;
  addTags?: string[];
  removeTags?: string[];
  priceFactor?: { currency: string; factor: number };
}

/** One edit over many products in one transaction: all of them change, or none (an unknown id fails the lot). */
export async function bulkEditProducts(tx: Tx, productIds: readonly string[], edit: BulkEdit): Promise<{ updated: number }> {
  const ids = [...new Set(productIds)];
  if (edit.priceFactor) assertCurrency(edit.priceFactor.currency, 'set.priceFactor.currency');
  const found = await tx.select({ id: products.id, tags: products.tags }).from(products).where(inArray(products.id, ids));
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length) throw problem(422, 'unknown-product', `No product ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ' …' : ''}; nothing was changed`, { productIds: missing });
  for (const row of found) {
    let tags: string[] | undefined;
    if (edit.addTags || edit.removeTags) {
      const remove = new Set(edit.removeTags ?? []);
      tags = [...new Set([...row.tags, ...(edit.addTags ?? [])])].filter((t) => !remove.has(t));
    }
    let priceChange: string[] = [];
    if (edit.priceFactor) {
      const { currency, factor } = edit.priceFactor;
      const rows = await tx.select({ id: prices.id, amount: prices.amount }).from(prices).innerJoin(variants, eq(variants.id, prices.variantId))
        .where(and(eq(variants.productId, row.id), eq(prices.currency, currency), isNull(prices.priceListId)));
      // Integer arithmetic on minor units; the factor is applied once and rounded half-up.
      for (const p of rows) await tx.update(prices).set({ amount: Math.round(p.amount * factor) }).where(eq(prices.id, p.id));
      priceChange = rows.length ? ['prices'] : [];
    }
    await updateProduct(tx, row.id, {
      ...(edit.status ? { status: edit.status } : {}),
      ...(edit.vendor !== undefined ? { vendor: edit.vendor } : {}),
      ...(edit.productType !== undefined ? { productType: edit.productType } : {}),
      ...(tags ? { tags } : {}),
    }, undefined, priceChange);
  }
  return { updated: found.length };
}
