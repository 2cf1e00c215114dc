import { parse } from 'csv-parse/sync';
import { CURRENCIES, formatMajor, parseMajor } from './money.js';
import type { ProductDoc, ProductInput, VariantInput } from './types.js';
import { productInputErrors } from './validate.js';

/**
 * Shopify's product CSV (one row per variant, product fields on the handle's first row,
 * extra image rows), so merchants can move over from a legacy shop. Two columns are ours:
 * `Variant Price <CUR>` for further currencies and `Product Category` holding category
 * handles, so an export imports back to the same catalog.
 */
export const SHOPIFY_COLUMNS = [
  'Handle', 'Title', 'Body (HTML)', 'Vendor', 'Type', 'Tags', 'Published',
  'Option1 Name', 'Option1 Value', 'Option2 Name', 'Option2 Value', 'Option3 Name', 'Option3 Value',
  'Variant SKU', 'Variant Grams', 'Variant Inventory Qty', 'Variant Price', 'Variant Compare At Price', 'Variant Barcode',
  'Image Src', 'Image Position', 'Image Alt Text', 'SEO Title', 'SEO Description', 'Status', 'Product Category',
] as const;
const REQUIRED = ['Handle', 'Title', 'Variant SKU', 'Variant Price'];
const EXTRA_PRICE = /^Variant Price ([A-Z]{3})$/;

export interface RowProblem {
  row: number;
  field: string;
  problem: string;
}

export interface ParsedImport {
  products: (ProductInput & { handle: string; categoryHandles: string[]; firstRow: number })[];
  problems: RowProblem[];
  ignoredColumns: string[];
}

export function parseProductCsv(text: string, currency: string): ParsedImport {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: false, skip_empty_lines: true }) as string[][];
  } catch (error) {
    const e = error as { lines?: number; message: string };
    return { products: [], problems: [{ row: e.lines ?? 0, field: '', problem: `not valid CSV: ${e.message}` }], ignoredColumns: [] };
  }
  const header = records[0] ?? [];
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) return { products: [], problems: [{ row: 1, field: missing.join(', '), problem: `header lacks required column(s) ${missing.join(', ')}; expected a Shopify product CSV` }], ignoredColumns: [] };
  const known = new Set<string>(SHOPIFY_COLUMNS);
  const ignoredColumns = header.filter((h) => !known.has(h) && !EXTRA_PRICE.test(h));
  const extraCurrencies = header.map((h) => EXTRA_PRICE.exec(h)?.[1]).filter((c): c is string => c !== undefined);
  const problems: RowProblem[] = [];
  for (const c of extraCurrencies) if (!(c in CURRENCIES)) problems.push({ row: 1, field: `Variant Price ${c}`, problem: `unknown currency ${c}` });
  const byHandle = new Map<string, ParsedImport['products'][number]>();
  records.slice(1).forEach((cells, i) => {
    const row = i + 2;
    const get = (name: string) => (cells[header.indexOf(name)] ?? '').trim();
    const bad = (field: string, problem: string) => problems.push({ row, field, problem });
    const handle = get('Handle');
    if (!handle) return bad('Handle', 'is empty');
    let product = byHandle.get(handle);
    if (!product) {
      const title = get('Title');
      if (!title) bad('Title', 'is empty on the first row of this handle');
      const status = get('Status').toLowerCase();
      const published = get('Published').toLowerCase();
      if (status && !['active', 'draft', 'archived'].includes(status)) bad('Status', `must be active, draft or archived, got ${JSON.stringify(status)}`);
      if (published && !['true', 'false'].includes(published)) bad('Published', `must be TRUE or FALSE, got ${JSON.stringify(get('Published'))}`);
      const options = [1, 2, 3].map((n) => get(`Option${n} Name`)).filter(Boolean).filter((name) => name !== 'Title').map((name) => ({ name, values: [] as string[] }));
      product = {
        handle, title, descriptionHtml: get('Body (HTML)'), vendor: get('Vendor'), productType: get('Type'),
        tags: get('Tags').split(',').map((t) => t.trim()).filter(Boolean),
        status: status === 'archived' ? 'archived' : status === 'draft' || published === 'false' ? 'draft' : 'published',
        seoTitle: get('SEO Title') || null, seoDescription: get('SEO Description') || null,
        options, variants: [], images: [], categoryHandles: get('Product Category').split(',').map((c) => c.trim()).filter(Boolean), firstRow: row,
      };
      byHandle.set(handle, product);
    }
    const image = get('Image Src');
    if (image) {
      if (!/^https?:\/\/\S+$/.test(image)) bad('Image Src', `must be an http(s) URL, got ${JSON.stringify(image.slice(0, 100))}`);
      else if (!product.images?.some((m) => m.url === image)) product.images?.push({ url: image, alt: get('Image Alt Text') });
    }
    const sku = get('Variant SKU');
    const priceText = get('Variant Price');
    if (!sku && !priceText && [1, 2, 3].every((n) => !get(`Option${n} Value`))) return; // an image-only row
    if (!sku) bad('Variant SKU', 'is empty; every variant needs a unique SKU here');
    const amount = parseMajor(priceText, currency);
    if (amount === null) bad('Variant Price', `must be a price like 19.99 in ${currency} (no sign, at most ${CURRENCIES[currency] ?? 2} decimals), got ${JSON.stringify(priceText)}`);
    const prices: NonNullable<VariantInput['prices']> = amount === null ? [] : [{ currency, amount }];
    const compareText = get('Variant Compare At Price');
    if (compareText && prices[0]) {
      const compareAt = parseMajor(compareText, currency);
      if (compareAt === null) bad('Variant Compare At Price', `must be a price like 24.99, got ${JSON.stringify(compareText)}`);
      else prices[0].compareAt = compareAt;
    }
    for (const c of extraCurrencies) {
      const t = get(`Variant Price ${c}`);
      if (!t) continue;
      const a = parseMajor(t, c);
      if (a === null) bad(`Variant Price ${c}`, `must be a price like 19.99, got ${JSON.stringify(t)}`);
      else prices.push({ currency: c, amount: a });
    }
    const optionValues = product.options?.map((_, k) => get(`Option${k + 1} Value`)) ?? [];
    product.options?.forEach((o, k) => {
      const v = optionValues[k] ?? '';
      if (!v) bad(`Option${k + 1} Value`, `is empty but the product has option ${JSON.stringify(o.name)}`);
      else if (!o.values.includes(v)) o.values.push(v);
    });
    const grams = get('Variant Grams');
    const qty = get('Variant Inventory Qty');
    if (grams && !/^\d+$/.test(grams)) bad('Variant Grams', `must be a whole number, got ${JSON.stringify(grams)}`);
    if (qty && !/^-?\d+$/.test(qty)) bad('Variant Inventory Qty', `must be a whole number, got ${JSON.stringify(qty)}`);
    product.variants?.push({ sku, barcode: get('Variant Barcode') || null, weightGrams: grams ? Number(grams) : null, inventoryQuantity: qty ? Math.max(0, Number(qty)) : 0, optionValues, prices });
  });
  // The same checks as the API, reported against the row where the product starts.
  for (const p of byHandle.values()) {
    for (const e of productInputErrors(p)) problems.push({ row: p.firstRow, field: e.field, problem: e.message });
  }
  const skuRows = new Map<string, string>();
  for (const p of byHandle.values()) for (const v of p.variants ?? []) {
    const other = skuRows.get(v.sku);
    if (other && other !== p.handle) problems.push({ row: p.firstRow, field: 'Variant SKU', problem: `SKU ${JSON.stringify(v.sku)} is also used by handle ${other}` });
    skuRows.set(v.sku, p.handle);
  }
  problems.sort((a, b) => a.row - b.row || a.field.localeCompare(b.field));
  return { products: [...byHandle.values()], problems, ignoredColumns };
}

const quote = (value: string | number | null | undefined): string => {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The catalog as a Shopify-style CSV: base prices in `currency`, other currencies in `Variant Price <CUR>`. */
export function productsToCsv(docs: readonly ProductDoc[], currency: string, categoryHandle: (id: string) => string | undefined): string {
  const others = [...new Set(docs.flatMap((d) => d.variants.flatMap((v) => v.prices.filter((p) => p.priceListId === null && p.currency !== currency).map((p) => p.currency))))].sort();
  const header = [...SHOPIFY_COLUMNS, ...others.map((c) => `Variant Price ${c}`)];
  const lines = [header.map(quote).join(',')];
  for (const d of docs) {
    const rows = Math.max(d.variants.length, d.images.length, 1);
    for (let i = 0; i < rows; i++) {
      const v = d.variants[i];
      const img = d.images[i];
      const base = (cur: string) => v?.prices.find((p) => p.priceListId === null && p.currency === cur);
      const first = i === 0;
      const cells: Record<string, string | number | null | undefined> = {
        Handle: d.handle,
        ...(first ? {
          Title: d.title, 'Body (HTML)': d.descriptionHtml, Vendor: d.vendor, Type: d.productType, Tags: d.tags.join(', '),
          Published: d.status === 'published' ? 'TRUE' : 'FALSE', 'SEO Title': d.seoTitle, 'SEO Description': d.seoDescription,
          Status: d.status === 'published' ? 'active' : d.status, 'Product Category': d.categoryIds.map(categoryHandle).filter(Boolean).join(', '),
          ...Object.fromEntries(d.options.map((o, k) => [`Option${k + 1} Name`, o.name])),
        } : {}),
        ...(v ? {
          ...Object.fromEntries(v.optionValues.map((value, k) => [`Option${k + 1} Value`, value])),
          'Variant SKU': v.sku, 'Variant Grams': v.weightGrams, 'Variant Inventory Qty': v.inventoryQuantity, 'Variant Barcode': v.barcode,
          'Variant Price': base(currency) ? formatMajor(base(currency)!.amount, currency) : '',
          'Variant Compare At Price': base(currency)?.compareAt != null ? formatMajor(base(currency)!.compareAt!, currency) : '',
          ...Object.fromEntries(others.map((c) => [`Variant Price ${c}`, base(c) ? formatMajor(base(c)!.amount, c) : ''])),
        } : {}),
        ...(img ? { 'Image Src': img.url ?? '', 'Image Position': i + 1, 'Image Alt Text': img.alt } : {}),
      };
      lines.push(header.map((h) => quote(cells[h])).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
