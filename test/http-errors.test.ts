import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import Type from 'typebox';
import { problem } from '../src/platform/http/problem.js';
import type { ModuleDefinition } from '../src/platform/module.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const widgets: ModuleDefinition = {
  name: 'widgets',
  routes(http) {
    http.post('/test/widgets', {
      config: { permission: 'public' },
      schema: {
        body: Type.Object({ name: Type.String({ minLength: 1 }), quantity: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ name: Type.String(), quantity: Type.Integer() }) },
      },
    }, async (request, reply) => reply.status(201).send(request.body));
    http.get('/test/widgets/:id', {
      config: { permission: 'public' },
      schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }), querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }) },
    }, async (request) => ({ id: request.params.id, limit: request.query.limit ?? 20 }));
    http.get('/test/boom', { config: { permission: 'public' } }, async () => {
      throw new Error('secret internal detail at /srv/db.ts:42');
    });
    http.get('/test/out-of-stock', { config: { permission: 'public' } }, async () => {
      throw problem(409, 'out-of-stock', 'Only 2 left of SKU-1', { sku: 'SKU-1', available: 2 });
    });
    http.get('/test/private', { config: { permission: 'orders:read:any' } }, async () => ({ secret: true }));
  },
};

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ modules: [widgets], env: { BODY_LIMIT_BYTES: '2048', CORS_ORIGINS: 'https://shop.example.com' } });
});
afterAll(async () => app.close());

const post = (payload: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  app.http.inject({ method: 'POST', url: '/test/widgets', payload, headers });

function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number, slug: string) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json() as { type: string; title: string; status: number; detail: string };
  expect(body).toMatchObject({ type: `/problems/${slug}`, status });
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.detail.length).toBeGreaterThan(0);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  return body as { detail: string; errors?: { in: string; field: string; message: string }[] };
}

describe('bad input gets a precise problem+json 4xx', () => {
  test('a valid body is accepted', async () => {
    const response = await post(JSON.stringify({ name: 'mug', quantity: 2 }));
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ name: 'mug', quantity: 2 });
  });

  test('malformed JSON is 400', async () => {
    const body = expectProblem(await post('{"name": "mug",'), 400, 'malformed-json');
    expect(body.detail).toMatch(/not valid JSON/);
  });

  test('an empty JSON body is 400', async () => {
    expectProblem(await post(''), 400, 'malformed-json');
  });

  test('a wrong type is 422 naming the field, and is not coerced', async () => {
    const body = expectProblem(await post(JSON.stringify({ name: 'mug', quantity: '2' })), 422, 'validation-failed');
    expect(body.errors).toEqual([expect.objectContaining({ in: 'body', field: 'quantity' })]);
  });

  test('a missing field is 422 naming it', async () => {
    const body = expectProblem(await post(JSON.stringify({ name: 'mug' })), 422, 'validation-failed');
    expect(body.errors).toContainEqual({ in: 'body', field: 'quantity', message: 'is required' });
    expect(body.detail).toContain('quantity is required');
  });

  test('an unknown field is 422 naming it, not silently dropped', async () => {
    const body = expectProblem(await post(JSON.stringify({ name: 'mug', quantity: 1, colour: 'red' })), 422, 'validation-failed');
    expect(body.errors).toContainEqual({ in: 'body', field: 'colour', message: 'is not a known field' });
  });

  test('an oversized body is 413', async () => {
    expectProblem(await post(JSON.stringify({ name: 'x'.repeat(5000), quantity: 1 })), 413, 'payload-too-large');
  });

  test('an unsupported media type is 415', async () => {
    const body = expectProblem(await post('name=mug', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported-media-type');
    expect(body.detail).toContain('application/json');
  });

  test('a bad path parameter or query string is 400 naming it', async () => {
    const byId = expectProblem(await app.http.inject({ url: '/test/widgets/not-a-uuid' }), 400, 'bad-request');
    expect(byId.errors?.[0]).toMatchObject({ in: 'params', field: 'id' });
    const byQuery = expectProblem(await app.http.inject({ url: '/test/widgets/0190a0a0-0000-7000-8000-000000000000?limit=500' }), 400, 'bad-request');
    expect(byQuery.errors?.[0]).toMatchObject({ in: 'querystring', field: 'limit' });
  });

  test('query strings are coerced to their declared types', async () => {
    const response = await app.http.inject({ url: '/test/widgets/0190a0a0-0000-7000-8000-000000000000?limit=5' });
    expect(response.json()).toMatchObject({ limit: 5 });
  });

  test('an unknown route is 404', async () => {
    const body = expectProblem(await app.http.inject({ url: '/nowhere' }), 404, 'not-found');
    expect(body.detail).toContain('/nowhere');
  });

  test('a known route with the wrong method is 405 with Allow', async () => {
    const response = await app.http.inject({ method: 'DELETE', url: '/test/widgets' });
    expectProblem(response, 405, 'method-not-allowed');
    expect(response.headers.allow).toBe('POST');
  });

  test('a route that needs a permission is 401 for an anonymous caller', async () => {
    expectProblem(await app.http.inject({ url: '/test/private' }), 401, 'unauthorized');
  });

  test('a domain problem keeps its type and extension fields', async () => {
    const response = await app.http.inject({ url: '/test/out-of-stock' });
    expectProblem(response, 409, 'out-of-stock');
    expect(response.json()).toMatchObject({ sku: 'SKU-1', available: 2, detail: 'Only 2 left of SKU-1' });
  });

  test('an unexpected error is a bare 500 without internals', async () => {
    const response = await app.http.inject({ url: '/test/boom' });
    const body = expectProblem(response, 500, 'internal');
    expect(JSON.stringify(body)).not.toContain('secret internal detail');
  });
});

describe('request ids, headers and CORS', () => {
  test('a sane x-request-id is echoed; a hostile one is replaced', async () => {
    const echoed = await app.http.inject({ url: '/health', headers: { 'x-request-id': 'abc-123' } });
    expect(echoed.headers['x-request-id']).toBe('abc-123');
    const replaced = await app.http.inject({ url: '/health', headers: { 'x-request-id': 'x'.repeat(500) } });
    const next = await app.http.inject({ url: '/health' });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f]{10}-[0-9a-z]+$/);
    expect(next.headers['x-request-id']).not.toBe(replaced.headers['x-request-id']);
  });

  test('API responses carry the OWASP REST security headers; HTML documents get the full document set', async () => {
    const api = await app.http.inject({ url: '/health' });
    expect(api.headers).toMatchObject({
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'", 'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY', 'cache-control': 'no-store',
    });
    // RFC 6797 §7.2: no HSTS over plain HTTP, and an untrusted X-Forwarded-Proto does not count.
    expect(api.headers['strict-transport-security']).toBeUndefined();
    const claimed = await app.http.inject({ url: '/health', headers: { 'x-forwarded-proto': 'https' } });
    expect(claimed.headers['strict-transport-security']).toBeUndefined();
    const problem = await app.http.inject({ url: '/no/such/route' });
    expect(problem.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    const page = await app.http.inject({ url: '/docs/' });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain('validator.swagger.io'); // the docs' own policy, kept
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
  });

  test('behind a trusted proxy, HTTPS responses carry HSTS and the forwarded client address is the one rate limits see', async () => {
    const probe: ModuleDefinition = {
      name: 'probe',
      routes(http) {
        http.get('/test/ip', { config: { permission: 'public' } }, async (request) => ({ ip: request.ip, protocol: request.protocol }));
      },
    };
    const proxied = await startTestApp({ env: { TRUST_PROXY: '127.0.0.1' }, modules: [probe] });
    try {
      const secure = await proxied.http.inject({ url: '/test/ip', headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' } });
      expect(secure.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(secure.json()).toEqual({ ip: '203.0.113.9', protocol: 'https' });
    } finally {
      await proxied.close();
    }
  });

  test('CORS allows only the configured origins', async () => {
    const allowed = await app.http.inject({ url: '/health', headers: { origin: 'https://shop.example.com' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    const denied = await app.http.inject({ url: '/health', headers: { origin: 'https://evil.example.com' } });
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });
});
