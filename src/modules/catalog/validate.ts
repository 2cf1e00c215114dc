import type { FieldError } from '../../platform/http/problem.js';
import { CURRENCIES } from './money.js';
import { HANDLE, unsafeHtmlReason } from './html.js';
import type { ProductPatch, VariantInput } from './types.js';

/**
 * Checks a product (or patch) without the database: everything that can be said about the
 * input alone, as field errors, so the HTTP API and the CSV import report the same problems.
 */
export function productInputErrors(input: ProductPatch, where = 'body'): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ in: where, field, message });
  if (input.title !== undefined && input.title.trim() === '') err('title', 'must not be empty');
  if (input.handle !== undefined && !HANDLE.test(input.handle)) err('handle', 'must be lower-case letters, digits and single hyphens (URL-safe), e.g. "blue-t-shirt"');
  if (input.descriptionHtml !== undefined) {
    const reason = unsafeHtmlReason(input.descriptionHtml);
    if (reason) err('descriptionHtml', reason);
  }
  const optionNames = new Set<string>();
  input.options?.forEach((o, i) => {
    if (optionNames.has(o.name.toLowerCase())) err(`options.${i}.name`, `option ${JSON.stringify(o.name)} is listed twice`);
    optionNames.add(o.name.toLowerCase());
  });
  const attributeKeys = new Set<string>();
  input.attributes?.forEach((a, i) => {
    if (attributeKeys.has(a.key)) err(`attributes.${i}.key`, `attribute ${JSON.stringify(a.key)} is listed twice`);
    attributeKeys.add(a.key);
    if (typeof a.value !== (a.type === 'text' ? 'string' : a.type)) err(`attributes.${i}.value`, `must be a ${a.type === 'text' ? 'string' : a.type} for type ${a.type}`);
  });
  if (input.variants) errors.push(...variantErrors(input.variants, input.options, where));
  return errors;
}

export function variantErrors(list: readonly VariantInput[], options: ProductPatch['options'], where = 'body', base = 'variants'): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ in: where, field, message });
  const skus = new Map<string, number>();
  const combos = new Map<string, number>();
  list.forEach((v, i) => {
    const at = `${base}.${i}`;
    if (v.sku.trim() === '') err(`${at}.sku`, 'must not be empty');
    const seen = skus.get(v.sku);
    if (seen !== undefined) err(`${at}.sku`, `duplicate SKU ${JSON.stringify(v.sku)} (also ${base}.${seen})`);
    skus.set(v.sku, i);
    const values = v.optionValues ?? [];
    if (options !== undefined && values.length !== options.length) {
      err(`${at}.optionValues`, `needs ${options.length} value(s), one per option (${options.map((o) => o.name).join(', ') || 'none'}), got ${values.length}`);
    } else if (options) {
      values.forEach((value, k) => {
        const option = options[k];
        if (option && !option.values.includes(value)) err(`${at}.optionValues.${k}`, `${JSON.stringify(value)} is not a value of option ${JSON.stringify(option.name)} (${option.values.join(', ')})`);
      });
      const key = values.join('\u0000');
      const other = combos.get(key);
      if (other !== undefined && values.length > 0) err(`${at}.optionValues`, `same option values as ${base}.${other}`);
      combos.set(key, i);
    }
    const currencies = new Set<string>();
    v.prices?.forEach((p, k) => {
      const pat = `${at}.prices.${k}`;
      if (!(p.currency in CURRENCIES)) err(`${pat}.currency`, `unknown currency ${JSON.stringify(p.currency)}`);
      if (currencies.has(p.currency)) err(`${pat}.currency`, `${p.currency} is priced twice`);
      currencies.add(p.currency);
      if (!Number.isSafeInteger(p.amount) || p.amount < 0) err(`${pat}.amount`, `must be a whole number of minor units ≥ 0 (1999 for 19.99), got ${p.amount}`);
      if (p.compareAt != null && (!Number.isSafeInteger(p.compareAt) || p.compareAt < 0)) err(`${pat}.compareAt`, `must be a whole number of minor units ≥ 0, got ${p.compareAt}`);
    });
  });
  return errors;
}
