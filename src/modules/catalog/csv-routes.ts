import Type from 'typebox';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/database.js';
import type { HttpServer } from '../../platform/http/server.js';
import { Problem, problem } from '../../platform/http/problem.js';
import { productsToCsv, parseProductCsv, type RowProblem } from './csv.js';
import { loadProducts } from './load.js';
import { assertCurrency } from './money.js';
import { createProduct, updateProduct } from './products.js';
import { categories, products, variants } from './schema.js';
import type { CatalogView } from './view.js';

const Currency = Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'Currency of Variant Price (default USD)' }));

/** Row problems the database can tell (SKUs or categories of other products), before anything is written. */
async function databaseProblems(tx: Tx, parsed: ReturnType<typeof parseProductCsv>): Promise<RowProblem[]> {
  const out: RowProblem[] = [];
  const handles = parsed.products.map((p) => p.handle);
  const existing = handles.length ? await tx.select({ id: products.id, handle: products.handle }).from(products).where(inArray(products.handle, handles)) : [];
  const idOf = new Map(existing.map((e) => [e.handle, e.id]));
  const skus = parsed.products.flatMap((p) => (p.variants ?? []).map((v) => v.sku));
  const taken = skus.length ? await tx.select({ sku: variants.sku, productId: variants.productId }).from(variants).where(inArray(variants.sku, skus)) : [];
  const cats = await tx.select({ id: categories.id, handle: categories.handle }).from(categories);
  for (const p of parsed.products) {
    for (const v of p.variants ?? []) {
      const t = taken.find((x) => x.sku === v.sku);
      if (t && t.productId !== idOf.get(p.handle)) out.push({ row: p.firstRow, field: 'Variant SKU', problem: `SKU ${JSON.stringify(v.sku)} already belongs to another product` });
    }
    for (const h of p.categoryHandles) if (!cats.some((c) => c.handle === h)) out.push({ row: p.firstRow, field: 'Product Category', problem: `no category with handle ${JSON.stringify(h)}` });
  }
  return out;
}

export function importExportRoutes(http: HttpServer, database: Database, view: CatalogView) {
  const tags = ['catalog-admin'];
  http.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string' }, (_request, body, done) => done(null, body));

  http.get('/admin/products/export', {
    config: { permission: 'products:write' },
    schema: { tags, summary: 'Every product as a Shopify-style CSV', querystring: Type.Object({ currency: Currency }, { additionalProperties: false }) },
  }, async (request, reply) => {
    const currency = assertCurrency(request.query.currency ?? 'USD');
    const ids = (await database.db.select({ id: products.id }).from(products).orderBy(asc(products.handle))).map((r) => r.id);
    const docs = (await loadProducts(database.db, ids)).sort((a, b) => a.handle.localeCompare(b.handle));
    const cats = new Map((await database.db.select().from(categories)).map((c) => [c.id, c.handle]));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="products.csv"').send(productsToCsv(docs, currency, (id) => cats.get(id)));
  });

  http.post('/admin/products/import', {
    config: { permission: 'products:write' },
    schema: {
      tags, summary: 'Import a Shopify-style product CSV: every row is checked first; a file with any problem imports nothing and gets a per-row report',
      querystring: Type.Object({ currency: Currency }, { additionalProperties: false }),
    },
  }, async (request) => {
    if (typeof request.body !== 'string') throw problem(415, 'unsupported-media-type', 'Send the CSV file as the body with Content-Type: text/csv');
    const currency = assertCurrency(request.query.currency ?? 'USD');
    const parsed = parseProductCsv(request.body, currency);
    const report = (rows: RowProblem[]) => new Problem(422, 'csv-invalid', `The CSV has ${rows.length} problem(s); nothing was imported`, { rows }, rows.map((r) => ({ in: 'body', field: `row ${r.row}: ${r.field}`, message: r.problem })));
    if (parsed.problems.length) throw report(parsed.problems);
    const result = await database.transaction(async (tx) => {
      const more = await databaseProblems(tx, parsed);
      if (more.length) throw report(more);
      const cats = new Map((await tx.select().from(categories)).map((c) => [c.handle, c.id]));
      let created = 0;
      let updated = 0;
      const ids: string[] = [];
      for (const p of parsed.products) {
        const { categoryHandles, firstRow: _row, ...input } = p;
        const categoryIds = categoryHandles.map((h) => cats.get(h) as string);
        const [existing] = await tx.select({ id: products.id }).from(products).where(eq(products.handle, p.handle));
        const doc = existing ? await updateProduct(tx, existing.id, { ...input, categoryIds }) : await createProduct(tx, { ...input, categoryIds });
        if (existing) updated++;
        else created++;
        ids.push(doc.id);
      }
      return { created, updated, ids };
    });
    await view.refresh(result.ids);
    return { created: result.created, updated: result.updated, rows: request.body.split('\n').length - 1, ignoredColumns: parsed.ignoredColumns };
  });
}
