import { expect } from 'vitest';
import type { TestApp } from './support/test-app.js';

type Headers = Record<string, string>;

/** Small HTTP helpers for the catalog tests: every call goes through the real routes. */
export function catalogClient(app: TestApp, admin: Headers) {
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Headers = admin) => {
    const r = await app.http.inject({ method, url, payload: payload as never, headers });
    return { status: r.statusCode, body: r.body ? (r.headers['content-type']?.toString().includes('json') ? r.json() : r.body) : null, headers: r.headers };
  };
  const ok = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers?: Headers) => {
    const r = await call(method, url, payload, headers);
    if (r.status >= 300) throw new Error(`${method} ${url} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  return {
    call,
    ok,
    headersFor: () => admin,
    createProduct: (body: Record<string, unknown>) => ok('POST', '/admin/products', body),
    store: (url: string) => ok('GET', url, undefined, {}),
  };
}

export const shirt = (n: number, extra: Record<string, unknown> = {}) => ({
  title: `Organic Cotton T-Shirt ${n}`,
  handle: `organic-cotton-t-shirt-${n}`,
  status: 'published',
  vendor: 'Acme Apparel',
  productType: 'T-Shirt',
  tags: ['eco', 'summer'],
  descriptionHtml: '<p>Soft <strong>organic cotton</strong> tee.</p>',
  options: [{ name: 'Size', values: ['S', 'M'] }, { name: 'Color', values: ['Black', 'White'] }],
  variants: [
    { sku: `TS-${n}-S-BLK`, optionValues: ['S', 'Black'], inventoryQuantity: 5, prices: [{ currency: 'USD', amount: 2500 }, { currency: 'EUR', amount: 2300 }] },
    { sku: `TS-${n}-M-WHT`, optionValues: ['M', 'White'], inventoryQuantity: 0, prices: [{ currency: 'USD', amount: 2700 }, { currency: 'EUR', amount: 2500 }] },
  ],
  ...extra,
});

export function expectProblem(r: { status: number; body: unknown; headers: Record<string, unknown> }, status: number, slug: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(String(r.headers['content-type'])).toContain('application/problem+json');
  expect((r.body as { type: string }).type).toBe(`/problems/${slug}`);
}
