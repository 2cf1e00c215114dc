import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { claimDueDeliveries, queueDeliveries, releaseLease } from '../src/modules/webhooks/deliveries.js';
import { newId } from '../src/platform/ids.js';
import { createActors } from './support/actors.js';
import { eventually, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Several worker processes share one delivery table: each delivery must be sent once, not
 * once per worker. On PostgreSQL (DATABASE_URL) two more worker apps run against the same
 * database, so three pollers race for the same due rows.
 */
let app: TestApp;
const workers: App[] = [];
let server: Server;
let base = '';
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(String(req.headers['webhook-id']));
    req.resume();
    req.on('end', () => setTimeout(() => res.writeHead(204).end(), 5));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app = await startTestApp({ env: { WEBHOOK_POLL_MS: '10', WEBHOOK_BACKOFF_MS: '10' } });
  if (app.database.kind === 'postgres') {
    for (let i = 0; i < 2; i++) {
      const worker = await createApp(app.config, { role: 'worker', migrate: false, logger: app.logger });
      await worker.startBackground();
      workers.push(worker);
    }
  }
}, 120_000);
afterAll(async () => {
  for (const w of workers) await w.close();
  await app?.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('deliveries claimed by several workers at once are each sent exactly once', async () => {
  const { admin } = await createActors(app);
  const r = await app.http.inject({ method: 'POST', url: '/admin/webhooks', headers: admin.headers, payload: { url: `${base}/in`, eventTypes: ['product.created'] } });
  expect(r.statusCode, r.body).toBe(201);
  const endpointId = r.json().id as string;
  // A burst of events, queued as the fan-out consumer would, all due at the same moment.
  const ids = Array.from({ length: 60 }, () => newId());
  await app.database.transaction(async (tx) => {
    for (const id of ids) {
      await queueDeliveries(tx, { id, type: 'product.created', version: 1, occurredAt: new Date().toISOString(), aggregateType: 'product', aggregateId: newId(), payload: {}, traceId: null });
    }
  });
  await eventually(async () => seen.length >= ids.length || null, 20_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(seen.sort()).toEqual([...ids].sort());
  const list = await app.http.inject({ url: `/admin/webhooks/${endpointId}/deliveries?limit=200`, headers: admin.headers });
  const items = list.json().items as { status: string; attemptCount: number }[];
  expect(items).toHaveLength(60);
  expect(items.every((d) => d.status === 'delivered' && d.attemptCount === 1)).toBe(true);
});

test('concurrent claims never hand the same delivery to two claimers', async () => {
  const { admin } = await createActors(app);
  const r = await app.http.inject({ method: 'POST', url: '/admin/webhooks', headers: admin.headers, payload: { url: `${base}/race`, eventTypes: ['product.updated'] } });
  expect(r.statusCode, r.body).toBe(201);
  const ids = Array.from({ length: 40 }, () => newId());
  await app.database.db.transaction(async (tx) => {
    for (const id of ids) {
      await queueDeliveries(tx, { id, type: 'product.updated', version: 1, occurredAt: new Date().toISOString(), aggregateType: 'product', aggregateId: newId(), payload: {}, traceId: null });
    }
  });
  // Four claimers race each other (and the running workers) for the same due rows.
  const claims = await Promise.all(Array.from({ length: 4 }, () => claimDueDeliveries(app.database.db, 15, 60_000)));
  const claimed = claims.flat().map((c) => c.id);
  expect(new Set(claimed).size).toBe(claimed.length);
  for (const id of claimed) await releaseLease(app.database.db, id);
  // Released, they go out like the rest: every event once.
  const mine = () => seen.filter((id) => ids.includes(id));
  await eventually(async () => mine().length >= ids.length || null, 20_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(mine().sort()).toEqual([...ids].sort());
});
