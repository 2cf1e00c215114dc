import Type from 'typebox';
import { asc, gt } from 'drizzle-orm';
import type { Database } from '../../platform/db/database.js';
import type { HttpServer } from '../../platform/http/server.js';
import { problem } from '../../platform/http/problem.js';
import { bulkEditProducts } from './bulk.js';
import { buildTree, createCategory, deleteCategory, listCategories, updateCategory } from './categories.js';
import { createCollection, deleteCollection, updateCollection } from './collections.js';
import { loadProduct, loadProducts } from './load.js';
import { createPriceList, deletePriceList, listPriceLists, updatePriceList } from './price-lists.js';
import { createProduct, deleteProduct, updateProduct } from './products.js';
import { setReviewHidden } from './reviews.js';
import { products } from './schema.js';
import { BulkBody, CategoryBody, CategoryPatchBody, CollectionBody, CollectionPatchBody, IdParams, Json, PriceListBody, PriceListPatchBody, ProductBody, ProductPatchBody } from './schemas.js';
import type { CatalogView } from './view.js';

const WRITE = { permission: 'products:write' };
const tags = ['catalog-admin'];

/**
 * Admin writes commit, then refresh this process's catalog view before answering, so the
 * next store read (here) already shows the change; other processes catch up from the events.
 */
export function adminRoutes(http: HttpServer, database: Database, view: CatalogView) {
  const write = async <T>(work: Parameters<Database['transaction']>[0] extends never ? never : (tx: Parameters<Parameters<Database['transaction']>[0]>[0]) => Promise<T>, touched: (result: T) => string[], meta = false): Promise<T> => {
    const result = await database.transaction(work);
    await view.refresh(touched(result), meta);
    return result;
  };

  http.get('/admin/products', {
    config: WRITE, schema: { tags, summary: 'All products (any status), by id, cursor-paginated', querystring: Type.Object({ after: Type.Optional(Type.String({ format: 'uuid' })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }, { additionalProperties: false }), response: { 200: Json } },
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    const rows = await database.db.select({ id: products.id }).from(products).where(request.query.after ? gt(products.id, request.query.after) : undefined).orderBy(asc(products.id)).limit(limit + 1);
    const page = rows.slice(0, limit).map((r) => r.id);
    return { items: await loadProducts(database.db, page), nextCursor: rows.length > limit ? page[page.length - 1] : null };
  });
  http.get('/admin/products/:id', { config: WRITE, schema: { tags, params: IdParams, response: { 200: Json } } }, async (request) => {
    const doc = await loadProduct(database.db, request.params.id);
    if (!doc) throw problem(404, 'product-not-found', `No product ${request.params.id}`);
    return doc;
  });
  http.post('/admin/products', { config: WRITE, schema: { tags, summary: 'Create a product with its options, variants and prices', body: ProductBody, response: { 201: Json } } },
    async (request, reply) => reply.status(201).send(await write((tx) => createProduct(tx, request.body), (p) => [p.id])));
  http.patch('/admin/products/:id', {
    config: WRITE,
    schema: { tags, summary: 'Change a product; `variants`, when sent, is the full list (matched by id or SKU)', params: IdParams, body: ProductPatchBody, headers: Type.Object({ 'if-match': Type.Optional(Type.String({ pattern: '^"?\\d+"?$' })) }), response: { 200: Json } },
  }, async (request) => {
    const ifMatch = request.headers['if-match'];
    const expected = typeof ifMatch === 'string' ? Number(ifMatch.replace(/"/g, '')) : undefined;
    return write((tx) => updateProduct(tx, request.params.id, request.body, expected), (p) => [p.id]);
  });
  http.delete('/admin/products/:id', { config: WRITE, schema: { tags, params: IdParams } }, async (request, reply) => {
    await write((tx) => deleteProduct(tx, request.params.id), () => [request.params.id]);
    return reply.status(204).send();
  });
  http.post('/admin/products/bulk', { config: WRITE, schema: { tags, summary: 'Apply one edit to many products, all or nothing', body: BulkBody, response: { 200: Json } } },
    async (request) => write((tx) => bulkEditProducts(tx, request.body.productIds, request.body.set), () => request.body.productIds));

  http.get('/admin/categories', { config: WRITE, schema: { tags, response: { 200: Json } } }, async () => ({ categories: buildTree(await listCategories(database.db)) }));
  http.post('/admin/categories', { config: WRITE, schema: { tags, body: CategoryBody, response: { 201: Json } } },
    async (request, reply) => reply.status(201).send(await write((tx) => createCategory(tx, request.body), () => [], true)));
  http.patch('/admin/categories/:id', { config: WRITE, schema: { tags, summary: 'Rename, move (parentId) or reorder (position); cycles are refused', params: IdParams, body: CategoryPatchBody, response: { 200: Json } } },
    async (request) => write((tx) => updateCategory(tx, request.params.id, request.body), () => [], true));
  http.delete('/admin/categories/:id', { config: WRITE, schema: { tags, params: IdParams } }, async (request, reply) => {
    await write((tx) => deleteCategory(tx, request.params.id), () => [], true);
    return reply.status(204).send();
  });

  http.post('/admin/collections', { config: WRITE, schema: { tags, body: CollectionBody, response: { 201: Json } } },
    async (request, reply) => reply.status(201).send(await write((tx) => createCollection(tx, request.body), () => request.body.productIds ?? [], true)));
  http.patch('/admin/collections/:id', { config: WRITE, schema: { tags, params: IdParams, body: CollectionPatchBody, response: { 200: Json } } },
    async (request) => write((tx) => updateCollection(tx, request.params.id, request.body), () => request.body.productIds ?? [], true));
  http.delete('/admin/collections/:id', { config: WRITE, schema: { tags, params: IdParams } }, async (request, reply) => {
    await write((tx) => deleteCollection(tx, request.params.id), () => [], true);
    return reply.status(204).send();
  });

  http.get('/admin/price-lists', { config: WRITE, schema: { tags, response: { 200: Json } } }, async () => ({ priceLists: await listPriceLists(database.db) }));
  http.post('/admin/price-lists', { config: WRITE, schema: { tags, summary: 'A sale or override price list, optionally per region or customer group and between dates', body: PriceListBody, response: { 201: Json } } },
    async (request, reply) => reply.status(201).send(await write((tx) => createPriceList(tx, request.body), (l) => l.productIds, true)));
  http.patch('/admin/price-lists/:id', { config: WRITE, schema: { tags, params: IdParams, body: PriceListPatchBody, response: { 200: Json } } },
    async (request) => write((tx) => updatePriceList(tx, request.params.id, request.body), (l) => l.productIds, true));
  http.delete('/admin/price-lists/:id', { config: WRITE, schema: { tags, params: IdParams } }, async (request, reply) => {
    await write((tx) => deletePriceList(tx, request.params.id), (ids) => ids, true);
    return reply.status(204).send();
  });

  http.patch('/admin/reviews/:id', {
    config: { permission: 'reviews:moderate' },
    schema: { tags, summary: 'Hide or show a review', params: IdParams, body: Type.Object({ hidden: Type.Boolean() }, { additionalProperties: false }), response: { 200: Json } },
  }, async (request) => write((tx) => setReviewHidden(tx, request.params.id, request.body.hidden), (r) => [r.productId]));
}
