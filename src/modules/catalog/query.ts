import { problem } from '../../platform/http/problem.js';
import { descendants } from './categories.js';
import { CURRENCIES } from './money.js';
import { priceProduct, type PricedProduct } from './present.js';
import type { PriceContext } from './pricing.js';
import type { CollectionRules } from './schema.js';
import type { ProductDoc } from './types.js';
import type { CatalogView } from './view.js';

export type SortKey = 'relevance' | 'newest' | 'price_asc' | 'price_desc' | 'best_selling' | 'rating';

export interface ProductQuery {
  currency: string;
  region?: string;
  category?: string;
  collection?: string;
  tags?: string;
  vendor?: string;
  productType?: string;
  priceMin?: number;
  priceMax?: number;
  /** "Color:Red,Size:M" — every named option must have one of the values. */
  options?: string;
  inStock?: boolean;
  sort?: SortKey;
  cursor?: string;
  limit?: number;
  facets?: boolean;
}

export interface Facets {
  categories: { handle: string; name: string; count: number }[];
  vendors: { value: string; count: number }[];
  productTypes: { value: string; count: number }[];
  tags: { value: string; count: number }[];
  options: { name: string; values: { value: string; count: number }[] }[];
  price: { min: number | null; max: number | null; currency: string };
  inStock: number;
}

export function priceContext(view: CatalogView, currency: string, region?: string): PriceContext {
  if (!(currency in CURRENCIES)) throw problem(400, 'unknown-currency', `Unknown currency ${JSON.stringify(currency)}; known: ${Object.keys(CURRENCIES).join(', ')}`, { currency });
  return { currency, region: region ?? null, customerGroup: null, now: Date.now() };
}

/** Prices of every product in one context, computed once per catalog change and sale boundary. */
export function pricesFor(view: CatalogView, context: PriceContext): Map<string, PricedProduct> {
  return view.memo(`prices:${context.currency}:${context.region ?? ''}:${boundaryKey(view, context.now)}`, () => {
    const out = new Map<string, PricedProduct>();
    for (const doc of view.docs.values()) out.set(doc.id, priceProduct(doc, view.priceLists, context));
    return out;
  });
}

/** Which sale windows are open at `now`: prices only change when this does. */
function boundaryKey(view: CatalogView, now: number): string {
  let key = '';
  for (const l of view.priceLists.values()) {
    if (l.startsAt === null && l.endsAt === null) continue;
    key += (l.startsAt === null || now >= l.startsAt) && (l.endsAt === null || now < l.endsAt) ? '1' : '0';
  }
  return key;
}

function ruleMembers(view: CatalogView, id: string, rules: CollectionRules, context: PriceContext): Set<string> {
  return view.memo(`collection:${id}:${rules.price?.currency ?? ''}`, () => {
    const priced = rules.price ? pricesFor(view, { ...context, currency: rules.price.currency }) : null;
    const out = new Set<string>();
    for (const doc of view.docs.values()) {
      if (rules.tagsAny?.length && !rules.tagsAny.some((t) => doc.tags.includes(t))) continue;
      if (rules.productTypes?.length && !rules.productTypes.includes(doc.productType)) continue;
      if (rules.vendors?.length && !rules.vendors.includes(doc.vendor)) continue;
      if (rules.price && priced) {
        const amount = priced.get(doc.id)?.price?.amount;
        if (amount === undefined || (rules.price.min !== undefined && amount < rules.price.min) || (rules.price.max !== undefined && amount > rules.price.max)) continue;
      }
      out.add(doc.id);
    }
    return out;
  });
}

export function collectionMembers(view: CatalogView, handle: string, context: PriceContext): { ids: Set<string>; order: string[] | null } {
  const collection = view.collections.find((c) => c.handle === handle);
  if (!collection) throw problem(400, 'unknown-filter-value', `No collection with handle ${JSON.stringify(handle)}`, { filter: 'collection', value: handle });
  if (collection.rules) return { ids: ruleMembers(view, collection.id, collection.rules, context), order: null };
  const order = view.manualMembers.get(collection.id) ?? [];
  return { ids: new Set(order), order };
}

/** Compiles the filters of a query to one predicate; unknown values are a 400, not an empty page. */
export function compileFilter(view: CatalogView, q: ProductQuery, context: PriceContext, priced: Map<string, PricedProduct>): (doc: ProductDoc) => boolean {
  const tests: ((doc: ProductDoc) => boolean)[] = [];
  if (q.category) {
    const category = view.categories.find((c) => c.handle === q.category || c.id === q.category);
    if (!category) throw problem(400, 'unknown-filter-value', `No category ${JSON.stringify(q.category)}`, { filter: 'category', value: q.category });
    const within = view.memo(`descendants:${category.id}`, () => descendants(view.categories, category.id));
    tests.push((d) => d.categoryIds.some((c) => within.has(c)));
  }
  if (q.collection) {
    const { ids } = collectionMembers(view, q.collection, context);
    tests.push((d) => ids.has(d.id));
  }
  if (q.tags) {
    const tags = q.tags.split(',').map((t) => t.trim()).filter(Boolean);
    tests.push((d) => tags.some((t) => d.tags.includes(t)));
  }
  if (q.vendor) tests.push((d) => d.vendor === q.vendor);
  if (q.productType) tests.push((d) => d.productType === q.productType);
  if (q.priceMin !== undefined || q.priceMax !== undefined) {
    if (q.priceMin !== undefined && q.priceMax !== undefined && q.priceMin > q.priceMax) throw problem(400, 'bad-request', `priceMin ${q.priceMin} is above priceMax ${q.priceMax}`);
    tests.push((d) => {
      const amount = priced.get(d.id)?.price?.amount;
      return amount !== undefined && (q.priceMin === undefined || amount >= q.priceMin) && (q.priceMax === undefined || amount <= q.priceMax);
    });
  }
  if (q.options) {
    const wanted = new Map<string, Set<string>>();
    for (const pair of q.options.split(',')) {
      const [name, value] = pair.split(':').map((s) => s.trim());
      if (!name || !value) throw problem(400, 'bad-request', `options must be Name:Value pairs separated by commas, e.g. Color:Red,Size:M; got ${JSON.stringify(pair)}`);
      wanted.set(name.toLowerCase(), (wanted.get(name.toLowerCase()) ?? new Set()).add(value.toLowerCase()));
    }
    tests.push((d) => {
      const index = [...wanted.keys()].map((n) => d.options.findIndex((o) => o.name.toLowerCase() === n));
      if (index.some((i) => i < 0)) return false;
      const names = [...wanted.values()];
      return d.variants.some((v) => index.every((i, k) => names[k]?.has((v.optionValues[i] ?? '').toLowerCase())) && (!q.inStock || v.inventoryQuantity > 0));
    });
  }
  if (q.inStock) tests.push((d) => priced.get(d.id)?.inStock === true);
  return (doc) => tests.every((t) => t(doc));
}

export function computeFacets(view: CatalogView, docs: Iterable<ProductDoc>, priced: Map<string, PricedProduct>, currency: string): Facets {
  const cats = new Map<string, number>();
  const vendors = new Map<string, number>();
  const types = new Map<string, number>();
  const tags = new Map<string, number>();
  const options = new Map<string, Map<string, number>>();
  let min: number | null = null;
  let max: number | null = null;
  let inStock = 0;
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const d of docs) {
    for (const c of d.categoryIds) bump(cats, c);
    if (d.vendor) bump(vendors, d.vendor);
    if (d.productType) bump(types, d.productType);
    for (const t of d.tags) bump(tags, t);
    for (let i = 0; i < d.options.length; i++) {
      const name = (d.options[i] as { name: string }).name;
      let values = options.get(name);
      if (!values) options.set(name, (values = new Map<string, number>()));
      // A value counts once per product however many variants carry it (few variants: a scan beats a Set).
      for (let k = 0; k < d.variants.length; k++) {
        const v = (d.variants[k] as ProductDoc['variants'][number]).optionValues[i];
        if (!v) continue;
        let seen = false;
        for (let j = 0; j < k && !seen; j++) seen = (d.variants[j] as ProductDoc['variants'][number]).optionValues[i] === v;
        if (!seen) bump(values, v);
      }
    }
    const p = priced.get(d.id);
    if (p?.price) {
      if (min === null || p.price.amount < min) min = p.price.amount;
      if (max === null || (p.maxAmount ?? 0) > max) max = p.maxAmount;
    }
    if (p?.inStock) inStock++;
  }
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n).map(([value, count]) => ({ value, count }));
  return {
    categories: [...cats].map(([id, count]) => ({ c: view.categoryById.get(id), count })).filter((x) => x.c).map((x) => ({ handle: x.c!.handle, name: x.c!.name, count: x.count }))
      .sort((a, b) => b.count - a.count || a.handle.localeCompare(b.handle)),
    vendors: top(vendors, 30),
    productTypes: top(types, 30),
    tags: top(tags, 30),
    options: [...options].map(([name, values]) => ({ name, values: top(values, 50) })),
    price: { min, max, currency },
    inStock,
  };
}
