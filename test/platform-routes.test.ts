import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import Type from 'typebox';
import type { ModuleDefinition } from '../src/platform/module.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const sample: ModuleDefinition = {
  name: 'sample',
  routes(http) {
    http.post('/store/samples', {
      config: { permission: 'public' },
      schema: {
        summary: 'Create a sample',
        body: Type.Object({ name: Type.String() }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Type.String() }) },
      },
    }, async (_request, reply) => reply.status(201).send({ id: 'x' }));
  },
};

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ modules: [sample] });
});
afterAll(async () => app.close());

describe('operations endpoints', () => {
  test('/health answers while the process is up', async () => {
    const response = await app.http.inject({ url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok' });
  });

  test('/ready reports the database and bus in use', async () => {
    const response = await app.http.inject({ url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
      bus: process.env.NATS_URL ? 'nats' : 'in-process',
    });
  });

  test('/metrics exposes request counts and latency by route and status, relay lag and outbox depth', async () => {
    await app.http.inject({ url: '/health' });
    const response = await app.http.inject({ url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toMatch(/http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
    expect(response.body).toContain('http_request_duration_seconds_bucket');
    expect(response.body).toMatch(/outbox_relay_lag_seconds \d/);
    expect(response.body).toMatch(/outbox_pending_events \d/);
    if (process.env.DATABASE_URL) expect(response.body).toMatch(/db_pool_connections_total \d/);
  });

  test('/problems/{slug} documents a problem type', async () => {
    const response = await app.http.inject({ url: '/problems/validation-failed' });
    expect(response.json()).toEqual({ type: '/problems/validation-failed', title: 'Validation failed', known: true });
  });
});

describe('API documentation', () => {
  test('/openapi.json is a valid OpenAPI 3.1 document listing every route', async () => {
    const response = await app.http.inject({ url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json() as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);

    const listed = Object.entries(document.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const routes = app.http.printRoutes({ commonPrefix: false });
    for (const expected of ['GET /health', 'GET /ready', 'GET /metrics', 'GET /problems/{slug}', 'POST /store/samples']) {
      expect(listed).toContain(expected);
    }
    expect(routes).toContain('store/samples');
    expect(document.paths['/store/samples']?.post?.responses['4XX']).toBeDefined();
  });

  test('/docs serves the interactive documentation', async () => {
    const page = await app.http.inject({ url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('swagger-ui');
    const spec = await app.http.inject({ url: '/docs/json' });
    expect(spec.json()).toMatchObject({ openapi: '3.1.0' });
  });
});

describe('readiness when a dependency is gone', () => {
  test('/ready is 503 naming the database when it cannot be reached', async () => {
    const broken = await startTestApp();
    await broken.database.close();
    const response = await broken.http.inject({ url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().detail).toMatch(/database \((pglite|postgres)\) unreachable/);
    await broken.http.close();
    await broken.bus.close();
  });
});
