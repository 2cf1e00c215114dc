import Type, { type Static } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpServer } from '../../platform/http/server.js';
import { problem } from '../../platform/http/problem.js';
import { buildTree } from './categories.js';
import { listProducts, searchProducts } from './listing.js';
import { collectionMembers, priceContext } from './query.js';
import { productDetail } from './present.js';
import type { CatalogView } from './view.js';

const Currency = Type.String({ pattern: '^[A-Z]{3}$', default: 'USD', description: 'ISO 4217 code; prices in the response are in this currency (minor units)' });
const Pricing = { currency: Type.Optional(Currency), region: Type.Optional(Type.String({ maxLength: 64 })) };
const Filters = {
  ...Pricing,
  category: Type.Optional(Type.String({ maxLength: 200, description: 'Category handle or id; includes subcategories' })),
  collection: Type.Optional(Type.String({ maxLength: 200 })),
  tags: Type.Optional(Type.String({ maxLength: 1000, description: 'Comma-separated; any of them' })),
  vendor: Type.Optional(Type.String({ maxLength: 200 })),
  productType: Type.Optional(Type.String({ maxLength: 200 })),
  priceMin: Type.Optional(Type.Integer({ minimum: 0, description: 'Minor units in `currency`' })),
  priceMax: Type.Optional(Type.Integer({ minimum: 0 })),
  options: Type.Optional(Type.String({ maxLength: 1000, description: 'Name:Value pairs, comma-separated, e.g. Color:Red,Size:M' })),
  inStock: Type.Optional(Type.Boolean()),
  cursor: Type.Optional(Type.String({ maxLength: 1000 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
};
const SortBy = Type.Union(['relevance', 'newest', 'price_asc', 'price_desc', 'best_selling', 'rating'].map((s) => Type.Literal(s)));
const ListQuery = Type.Object({ ...Filters, sort: Type.Optional(SortBy), facets: Type.Optional(Type.Boolean({ description: 'Add facet counts over the whole filtered set' })) }, { additionalProperties: false });
const SearchQuery = Type.Object({ q: Type.String({ minLength: 1, maxLength: 200 }), ...Filters, sort: Type.Optional(SortBy) }, { additionalProperties: false });
const HandleParams = Type.Object({ handle: Type.String({ minLength: 1, maxLength: 200 }) });
const Json = Type.Object({}, { additionalProperties: true, description: 'See the example responses in the catalog tests' });

/**
 * Sends a rendered, cached body with its ETag; answers 304 when the client has it. No
 * max-age: a client revalidates every time, so an admin edit shows on the next read.
 */
function sendCached(request: FastifyRequest, reply: FastifyReply, entry: { body: Buffer; etag: string }) {
  reply.header('etag', entry.etag).header('cache-control', 'public, no-cache');
  if (request.headers['if-none-match'] === entry.etag) return reply.status(304).send();
  return reply.type('application/json; charset=utf-8').send(entry.body);
}

export function storeRoutes(http: HttpServer, view: CatalogView) {
  const tags = ['catalog'];
  // Hot reads answer from the rendered-response cache in the first route hook, before
  // validation, the handler and serialisation. Keys are the raw URL, as in the handlers.
  const onRequest = (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const hit = view.peek(request.url);
    if (hit) sendCached(request, reply, hit);
    else done();
  };
  http.get('/store/products', { onRequest, config: { permission: 'public' }, schema: { tags, summary: 'List published products with filters, sorting, cursor pagination and facets', querystring: ListQuery, response: { 200: Json } } },
    (request, reply) => sendCached(request, reply, view.cached(request.url, () => ({ body: JSON.stringify(listProducts(view, { ...request.query, currency: request.query.currency ?? 'USD' })) }))));

  http.get('/store/products/:handle', { onRequest, config: { permission: 'public' }, schema: { tags, summary: 'One published product by handle, priced in a currency', params: HandleParams, querystring: Type.Object(Pricing, { additionalProperties: false }), response: { 200: Json } } },
    (request, reply) => {
      const currency = request.query.currency ?? 'USD';
      return sendCached(request, reply, view.cached(request.url, () => {
        const id = view.byHandle.get(request.params.handle);
        const doc = id ? view.docs.get(id) : undefined;
        if (!doc) throw problem(404, 'product-not-found', `No published product with handle ${JSON.stringify(request.params.handle)}`, { handle: request.params.handle });
        const context = priceContext(view, currency, request.query.region);
        const lists = doc.variants.flatMap((v) => v.prices.map((p) => p.priceListId)).filter((x): x is string => x !== null).map((l) => view.priceLists.get(l)).filter((l) => l !== undefined);
        const body = productDetail(doc, view.priceLists, context, (c) => {
          const row = view.categoryById.get(c);
          return row ? { id: row.id, handle: row.handle, name: row.name } : undefined;
        });
        return { body: JSON.stringify(body), affects: lists };
      }));
    });

  http.get('/store/categories', { onRequest, config: { permission: 'public' }, schema: { tags, summary: 'The category tree', response: { 200: Json } } },
    (request, reply) => sendCached(request, reply, view.cached('/store/categories', () => ({ body: JSON.stringify({ categories: buildTree(view.categories) }) }))));

  const CollectionQuery = Type.Object({ ...Filters, sort: Type.Optional(SortBy), facets: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
  http.get('/store/collections/:handle', { onRequest, config: { permission: 'public' }, schema: { tags, summary: 'A collection and a page of its products', params: HandleParams, querystring: CollectionQuery, response: { 200: Json } } },
    (request, reply) => sendCached(request, reply, view.cached(request.url, () => {
      const collection = view.collections.find((c) => c.handle === request.params.handle);
      if (!collection) throw problem(404, 'collection-not-found', `No collection with handle ${JSON.stringify(request.params.handle)}`);
      const query = { ...request.query, currency: request.query.currency ?? 'USD', collection: collection.handle };
      collectionMembers(view, collection.handle, priceContext(view, query.currency));
      return { body: JSON.stringify({ id: collection.id, handle: collection.handle, title: collection.title, descriptionHtml: collection.descriptionHtml, kind: collection.rules ? 'rules' : 'manual', products: listProducts(view, query) }) };
    })));

  http.get('/store/search', { onRequest, config: { permission: 'public' }, schema: { tags, summary: 'Full-text product search: typo tolerant, prefix matching, field boosts, facets and highlights', querystring: SearchQuery, response: { 200: Json } } },
    (request, reply) => sendCached(request, reply, view.cached(request.url, () => ({ body: JSON.stringify(searchProducts(view, { ...(request.query as Static<typeof SearchQuery>), currency: request.query.currency ?? 'USD' })) }))));
}
