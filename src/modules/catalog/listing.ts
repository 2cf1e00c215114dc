import { problem } from '../../platform/http/problem.js';
import { splitWords, stemWord } from '../../intelligence/text/tokenize.js';
import { indexText } from './html.js';
import { productSummary, type PricedProduct } from './present.js';
import { compileFilter, computeFacets, pricesFor, priceContext, type Facets, type ProductQuery, type SortKey } from './query.js';
import type { ProductDoc } from './types.js';
import type { CatalogView } from './view.js';

const BIG = Number.MAX_SAFE_INTEGER;
const FACET_SAMPLE = 1000;

/** Every sort is ascending on (value, id), so one keyset cursor format serves them all. */
function sortValue(sort: SortKey, doc: ProductDoc, priced: PricedProduct | undefined): number {
  switch (sort) {
    case 'price_asc': return priced?.price?.amount ?? BIG;
    case 'price_desc': return priced?.price ? -priced.price.amount : BIG;
    case 'best_selling': return -doc.salesCount;
    case 'rating': return doc.ratingCount ? -Math.round((doc.ratingSum / doc.ratingCount) * 1000) * 1_000_000 - doc.ratingCount : BIG;
    default: return -Date.parse(doc.createdAt);
  }
}

interface Sorted {
  docs: ProductDoc[];
  values: Float64Array;
}

function sorted(view: CatalogView, sort: SortKey, priced: Map<string, PricedProduct>, key: string): Sorted {
  return view.memo(`sorted:${sort}:${key}`, () => {
    const items = [...view.docs.values()].map((doc) => ({ doc, value: sortValue(sort, doc, priced.get(doc.id)) }));
    items.sort((a, b) => a.value - b.value || (a.doc.id < b.doc.id ? -1 : a.doc.id > b.doc.id ? 1 : 0));
    return { docs: items.map((i) => i.doc), values: Float64Array.from(items.map((i) => i.value)) };
  });
}

export function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string, sort: string): (string | number)[] {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parts) && parts[0] === sort && parts.length === 3) return parts as (string | number)[];
  } catch { /* falls through to the problem */ }
  throw problem(400, 'invalid-cursor', `The cursor is not one this listing gave out (for sort ${sort}); start again without a cursor`, { cursor: cursor.slice(0, 100) });
}

/** First index after the cursor's (value, id), by binary search. */
function startAfter(list: Sorted, value: number, id: string): number {
  let lo = 0;
  let hi = list.docs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = list.values[mid] as number;
    const mId = (list.docs[mid] as ProductDoc).id;
    if (v < value || (v === value && mId <= id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface ListResult {
  items: ReturnType<typeof productSummary>[];
  total: number;
  nextCursor: string | null;
  facets?: Facets;
}

const hasFilters = (q: ProductQuery) => Boolean(q.category || q.collection || q.tags || q.vendor || q.productType || q.priceMin !== undefined || q.priceMax !== undefined || q.options || q.inStock);

export function listProducts(view: CatalogView, q: ProductQuery): ListResult {
  const context = priceContext(view, q.currency, q.region);
  const priced = pricesFor(view, context);
  const sort: SortKey = q.sort && q.sort !== 'relevance' ? q.sort : 'newest';
  const limit = q.limit ?? 20;
  const order = sorted(view, sort, priced, `${context.currency}:${context.region ?? ''}`);
  const accept = compileFilter(view, q, context, priced);
  let start = 0;
  if (q.cursor) {
    const [, value, id] = decodeCursor(q.cursor, sort);
    if (typeof value !== 'number' || typeof id !== 'string') throw problem(400, 'invalid-cursor', 'The cursor is malformed; start again without a cursor');
    start = startAfter(order, value, id);
  }
  const filtered = hasFilters(q);
  const page: ProductDoc[] = [];
  let last = -1;
  let more = false;
  for (let i = start; i < order.docs.length; i++) {
    const doc = order.docs[i] as ProductDoc;
    if (filtered && !accept(doc)) continue;
    if (page.length === limit) {
      more = true;
      break;
    }
    page.push(doc);
    last = i;
  }
  let total = order.docs.length;
  let matching: ProductDoc[] | null = null;
  if (filtered || q.facets) {
    matching = filtered ? order.docs.filter(accept) : order.docs;
    total = matching.length;
  }
  const handleOf = (id: string) => view.categoryById.get(id)?.handle;
  return {
    items: page.map((d) => productSummary(d, priced.get(d.id) as PricedProduct, handleOf)),
    total,
    nextCursor: more && last >= 0 ? encodeCursor([sort, order.values[last] as number, (order.docs[last] as ProductDoc).id]) : null,
    ...(q.facets && matching ? { facets: computeFacets(view, matching, priced, context.currency) } : {}),
  };
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Wraps the words whose term matched in <mark>, everything else escaped. */
export function highlight(text: string, terms: ReadonlySet<string>, window?: number): string | null {
  const re = /[\p{L}\p{M}\p{N}]+(?:-[\p{L}\p{M}\p{N}]+)*/gu;
  const marks: [number, number][] = [];
  for (const m of text.matchAll(re)) {
    const word = m[0].toLowerCase();
    const hit = splitWords(word).some((w) => terms.has(stemWord(w)) || terms.has(w)) || terms.has(stemWord(word.replace(/-/g, '')));
    if (hit) marks.push([m.index, m.index + m[0].length]);
  }
  if (marks.length === 0) return window ? null : escapeHtml(text);
  let from = 0;
  let to = text.length;
  if (window && text.length > window) {
    from = Math.max(0, (marks[0] as [number, number])[0] - 40);
    to = Math.min(text.length, from + window);
  }
  let out = from > 0 ? '…' : '';
  let at = from;
  for (const [s, e] of marks) {
    if (s < at || e > to) continue;
    out += `${escapeHtml(text.slice(at, s))}<mark>${escapeHtml(text.slice(s, e))}</mark>`;
    at = e;
  }
  return out + escapeHtml(text.slice(at, to)) + (to < text.length ? '…' : '');
}

export function searchProducts(view: CatalogView, q: ProductQuery & { q: string }) {
  const text = q.q.trim();
  if (text === '') throw problem(400, 'empty-search', 'The search string is empty; send q with at least one letter or digit');
  const context = priceContext(view, q.currency, q.region);
  const priced = pricesFor(view, context);
  const accept = compileFilter(view, q, context, priced);
  const filtered = hasFilters(q);
  const result = view.search.search(text, filtered ? (id) => accept(view.docs.get(id) as ProductDoc) : undefined);
  let hits = result.hits.map((h) => view.docs.get(h.id)).filter((d): d is ProductDoc => d !== undefined);
  const sort = q.sort ?? 'relevance';
  if (sort !== 'relevance') hits = [...hits].sort((a, b) => sortValue(sort, a, priced.get(a.id)) - sortValue(sort, b, priced.get(b.id)) || (a.id < b.id ? -1 : 1));
  const limit = q.limit ?? 20;
  let offset = 0;
  if (q.cursor) {
    const [, value, digest] = decodeCursor(q.cursor, `search:${sort}`);
    if (typeof value !== 'number' || digest !== text.toLowerCase()) throw problem(400, 'invalid-cursor', 'The cursor belongs to another search; start again without a cursor');
    offset = value;
  }
  const page = hits.slice(offset, offset + limit);
  const handleOf = (id: string) => view.categoryById.get(id)?.handle;
  return {
    query: text,
    corrections: result.corrections,
    total: hits.length,
    items: page.map((d) => ({
      ...productSummary(d, priced.get(d.id) as PricedProduct, handleOf),
      highlights: { title: highlight(d.title, result.terms), description: highlight(indexText(d.descriptionHtml), result.terms, 160) },
    })),
    nextCursor: offset + limit < hits.length ? encodeCursor([`search:${sort}`, offset + limit, text.toLowerCase()]) : null,
    // Facets over the best FACET_SAMPLE hits (Typesense's facet sampling idea): counts for a broad query like
    // "shirt" stay representative while the uncached cost stays bounded; `facetsSampled` says when it applied.
    facets: computeFacets(view, hits.length > FACET_SAMPLE ? hits.slice(0, FACET_SAMPLE) : hits, priced, context.currency),
    facetsSampled: hits.length > FACET_SAMPLE,
  };
}
