import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inventoryLow } from '../src/modules/inventory/events.js';
import { selectRows } from '../src/platform/db/database.js';
import { newId } from '../src/platform/ids.js';
import { createActors, type TestActors } from './support/actors.js';
import { eventually, startTestApp, type TestApp } from './support/test-app.js';
import { CARDS, expectProblem, shopClient, type Reply, type Shop } from './checkout-support.js';

/**
 * A real HTTP receiver, as an integrator would run one: it checks every signature itself
 * (recomputing the HMAC of the Standard Webhooks scheme, not calling our code) and answers
 * per path from a plan: a status code, or `hang` to let the attempt time out.
 */
interface Received { path: string; headers: IncomingHttpHeaders; body: string; at: number; signatureValid: boolean; secretIndex: number }

class Receiver {
  readonly received: Received[] = [];
  readonly plans = new Map<string, (number | 'hang')[]>();
  readonly secrets = new Map<string, string[]>();
  private server!: Server;
  base = '';

  async start() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        const secretIndex = this.check(path, req.headers, body);
        this.received.push({ path, headers: req.headers, body, at: Date.now(), signatureValid: secretIndex >= 0, secretIndex });
        const next = this.plans.get(path)?.shift() ?? 200;
        if (next === 'hang') return; // never answers: the sender's timeout must end the attempt
        res.writeHead(next, { 'content-type': 'text/plain' }).end(next < 300 ? 'thanks' : `no luck ${next}`);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Index of the registered secret that signed the request, or -1. */
  private check(path: string, headers: IncomingHttpHeaders, body: string): number {
    const [id, timestamp, signatures] = [headers['webhook-id'], headers['webhook-timestamp'], headers['webhook-signature']].map(String);
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return -1;
    const given = (signatures ?? '').split(' ');
    return (this.secrets.get(path) ?? []).findIndex((secret) => {
      const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
      const expected = Buffer.from(`v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`);
      return given.some((g) => g.length === expected.length && timingSafeEqual(Buffer.from(g), expected));
    });
  }

  at(path: string) {
    return this.received.filter((r) => r.path === path);
  }

  close() {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(resolve));
  }
}

let app: TestApp;
let shop: TestActors;
let admin: Record<string, string>;
let client: Shop;
const receiver = new Receiver();
let paths = 0;

beforeAll(async () => {
  await receiver.start();
  app = await startTestApp({
    env: {
      WEBHOOK_POLL_MS: '20', WEBHOOK_BACKOFF_MS: '40', WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_TIMEOUT_MS: '1500', WEBHOOK_BREAKER_THRESHOLD: '5',
      TEST_PAYMENTS_WEBHOOK_DELAY_MS: '5',
    },
  });
  shop = await createActors(app);
  admin = shop.admin.headers;
  client = shopClient(app, shop.staff.headers);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await receiver.close();
});

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers = admin) => client.call(method, url, payload, headers);

/** Registers an endpoint on a fresh receiver path; the receiver learns the secret to check signatures with. */
async function register(eventTypes: string[], plan: (number | 'hang')[] = [], url?: string) {
  const path = `/hook-${++paths}`;
  receiver.plans.set(path, [...plan]);
  const r = await call('POST', '/admin/webhooks', { url: url ?? `${receiver.base}${path}`, eventTypes });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  receiver.secrets.set(path, [r.body.secret]);
  return { id: r.body.id as string, path, secret: r.body.secret as string, body: r.body };
}

const deliveries = async (endpointId: string) => (await call('GET', `/admin/webhooks/${endpointId}/deliveries`)).body.items as { id: string; status: string; attemptCount: number; eventId: string }[];
const detail = async (deliveryId: string) => (await call('GET', `/admin/webhooks/deliveries/${deliveryId}`)).body;
const settled = (endpointId: string, status: string, n = 1) => eventually(async () => {
  const items = await deliveries(endpointId);
  return items.length >= n && items.every((d) => d.status === status) ? items : null;
}, 15_000);

describe('registering endpoints', () => {
  test('an admin registers an endpoint: the secret is shown once, then never again', async () => {
    const { id, body } = await register(['product.created']);
    expect(body).toMatchObject({ status: 'active', enabled: true, eventTypes: ['product.created'], consecutiveFailures: 0 });
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const one = await call('GET', `/admin/webhooks/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('secret');
    expect(JSON.stringify((await call('GET', '/admin/webhooks')).body)).not.toContain(body.secret);
    const types = (await call('GET', '/admin/webhooks/event-types')).body.items as string[];
    expect(types).toEqual(expect.arrayContaining(['order.placed', 'product.created', 'payment.captured']));
  });

  test('bad input gets a precise problem and leaves nothing behind', async () => {
    const before = (await call('GET', '/admin/webhooks')).body.items.length;
    const cases: [unknown, number, string, string?][] = [
      [{ url: 'ftp://example.com/hook', eventTypes: ['order.placed'] }, 422, 'invalid-webhook-url', 'https'],
      [{ url: 'http://example.com/hook', eventTypes: ['order.placed'] }, 422, 'invalid-webhook-url', 'localhost'],
      [{ url: 'https://user:pass@example.com/hook', eventTypes: ['order.placed'] }, 422, 'invalid-webhook-url', 'credentials'],
      [{ url: 'not a url', eventTypes: ['order.placed'] }, 422, 'invalid-webhook-url'],
      [{ url: 'https://example.com/hook', eventTypes: ['order.placed', 'order.teleported'] }, 422, 'unknown-event-type', 'order.teleported'],
      [{ url: 'https://example.com/hook', eventTypes: [] }, 422, 'validation-failed'],
      [{ url: 'https://example.com/hook', eventTypes: ['order.placed'], secret: 'mine' }, 422, 'validation-failed'],
    ];
    for (const [payload, status, slug, mentions] of cases) {
      const r = await call('POST', '/admin/webhooks', payload);
      expectProblem(r, status, slug);
      if (mentions) expect(r.body.detail).toContain(mentions);
    }
    const unknown = await call('POST', '/admin/webhooks', { url: 'https://example.com/hook', eventTypes: ['order.teleported'] });
    expect(unknown.body.errors).toEqual([expect.objectContaining({ in: 'body', field: 'eventTypes.0' })]);
    expect((await call('GET', '/admin/webhooks')).body.items).toHaveLength(before);

    const ok = { url: 'https://hooks.example.com/in', eventTypes: ['order.placed'] };
    expectProblem(await call('POST', '/admin/webhooks', ok, shop.staff.headers), 403, 'forbidden');
    expectProblem(await call('POST', '/admin/webhooks', ok, shop.customer.headers), 403, 'forbidden');
    expectProblem(await call('POST', '/admin/webhooks', ok, {}), 401, 'unauthorized');
    expectProblem(await call('GET', '/admin/webhooks', undefined, shop.staff.headers), 403, 'forbidden');
    expectProblem(await call('GET', '/admin/webhooks/00000000-0000-7000-8000-000000000000'), 404, 'not-found');
    expectProblem(await call('GET', '/admin/webhooks/nope'), 400, 'bad-request');
    expectProblem(await call('GET', '/admin/webhooks/deliveries/00000000-0000-7000-8000-000000000000'), 404, 'not-found');
    expect((await call('GET', '/admin/webhooks')).body.items).toHaveLength(before);
  });

  test('an endpoint can be updated (with the same checks), disabled, enabled and deleted', async () => {
    const { id } = await register(['product.created']);
    const changed = await call('PATCH', `/admin/webhooks/${id}`, { eventTypes: ['product.updated', 'product.created'], description: 'ERP sync' });
    expect(changed.body).toMatchObject({ eventTypes: ['product.created', 'product.updated'], description: 'ERP sync' });
    expectProblem(await call('PATCH', `/admin/webhooks/${id}`, { url: 'http://example.com' }), 422, 'invalid-webhook-url');
    expectProblem(await call('PATCH', `/admin/webhooks/${id}`, { eventTypes: ['nope'] }), 422, 'unknown-event-type');
    expectProblem(await call('PATCH', `/admin/webhooks/${id}`, {}), 422, 'validation-failed');
    expect((await call('GET', `/admin/webhooks/${id}`)).body.eventTypes).toEqual(['product.created', 'product.updated']);
    expect((await call('POST', `/admin/webhooks/${id}/disable`)).body).toMatchObject({ status: 'disabled', enabled: false });
    expect((await call('POST', `/admin/webhooks/${id}/enable`)).body).toMatchObject({ status: 'active', enabled: true });
    expect((await call('DELETE', `/admin/webhooks/${id}`)).status).toBe(204);
    expectProblem(await call('GET', `/admin/webhooks/${id}`), 404, 'not-found');
    expectProblem(await call('DELETE', `/admin/webhooks/${id}`), 404, 'not-found');
    const audit = (await call('GET', '/admin/audit-log?limit=20')).body.items.filter((e: { subjectId: string }) => e.subjectId === id).map((e: { action: string }) => e.action);
    expect(audit).toEqual(['webhook.deleted', 'webhook.enabled', 'webhook.disabled', 'webhook.updated', 'webhook.created']);
  });
});

describe('delivering', () => {
  test('an event reaches its subscribers signed, with every attempt visible; others and disabled endpoints get nothing', async () => {
    const hook = await register(['product.created']);
    const other = await register(['order.placed']);
    const off = await register(['product.created']);
    await call('POST', `/admin/webhooks/${off.id}/disable`);
    const product = await client.product({ stock: 0 });
    const [delivery] = await settled(hook.id, 'delivered');
    const got = receiver.at(hook.path);
    expect(got).toHaveLength(1);
    expect(got[0]!.signatureValid).toBe(true);
    const envelope = JSON.parse(got[0]!.body);
    expect(envelope).toMatchObject({ type: 'product.created', aggregateType: 'product', payload: expect.objectContaining({ productId: product.productId }) });
    expect(got[0]!.headers['webhook-id']).toBe(envelope.id);
    expect(got[0]!.headers['content-type']).toBe('application/json');
    const seen = await detail(delivery!.id);
    expect(seen).toMatchObject({ status: 'delivered', attemptCount: 1, eventId: envelope.id, eventType: 'product.created', body: envelope });
    expect(seen.attempts).toEqual([expect.objectContaining({ number: 1, succeeded: true, statusCode: 200, error: null, responseSnippet: 'thanks' })]);
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.at(other.path)).toHaveLength(0);
    expect(receiver.at(off.path)).toHaveLength(0);
    expect(await deliveries(off.id)).toHaveLength(0);
  });

  test('a 500 and a timeout are retried with growing delays until the receiver takes it', async () => {
    const hook = await register(['product.created'], [500, 'hang', 200]);
    await client.product({ stock: 0 });
    const [delivery] = await settled(hook.id, 'delivered');
    const got = receiver.at(hook.path);
    expect(got.map((r) => r.signatureValid)).toEqual([true, true, true]);
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1); // the same message id on every retry
    const seen = await detail(delivery!.id);
    expect(seen.attempts.map((a: { statusCode: number | null; succeeded: boolean }) => [a.statusCode, a.succeeded])).toEqual([[500, false], [null, false], [200, true]]);
    expect(seen.attempts[0].responseSnippet).toBe('no luck 500');
    expect(seen.attempts[1].error).toMatch(/timed out after 1500 ms/);
    expect(seen.attempts[1].durationMs).toBeGreaterThanOrEqual(290);
    // Backoff: base 40 ms, doubled per attempt, jittered between half and all of it.
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(20);
    expect(got[2]!.at - got[1]!.at).toBeGreaterThanOrEqual(300 + 40);
  });

  test('a refused connection fails after the last attempt; an admin can redeliver it', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const hook = await register(['product.created'], [], `http://127.0.0.1:${port}/gone`);
    await client.product({ stock: 0 });
    const [delivery] = await settled(hook.id, 'failed');
    const seen = await detail(delivery!.id);
    expect(seen.attempts).toHaveLength(3);
    expect(seen.attempts.every((a: { error: string; statusCode: null }) => /ECONNREFUSED/.test(a.error) && a.statusCode === null)).toBe(true);
    expect(seen.lastError).toMatch(/ECONNREFUSED/);
    expect((await call('GET', `/admin/webhooks/${hook.id}`)).body.consecutiveFailures).toBe(3);

    const again = await call('POST', `/admin/webhooks/deliveries/${delivery!.id}/redeliver`);
    expect(again.status).toBe(202);
    expect(again.body.status).toBe('pending');
    // A fresh round of attempts; two more failures make five in a row, and the breaker (threshold 5) pauses the endpoint.
    await eventually(async () => (await call('GET', `/admin/webhooks/${hook.id}`)).body.status === 'paused' || null);
    expect(await detail(delivery!.id)).toMatchObject({ status: 'pending', attemptCount: 5 });
    expectProblem(await call('POST', '/admin/webhooks/deliveries/00000000-0000-7000-8000-000000000000/redeliver'), 404, 'not-found');
  });

  test('the circuit breaker pauses an endpoint that keeps failing; enabling it sends what waited', async () => {
    const hook = await register(['product.created'], [500, 500, 500, 500, 500, 500, 500, 500]);
    await client.product({ stock: 0 });
    await settled(hook.id, 'failed'); // three failures in a row…
    await client.product({ stock: 0 }); // …and two more on the next delivery open the breaker
    const paused = await eventually(async () => {
      const e = (await call('GET', `/admin/webhooks/${hook.id}`)).body;
      return e.status === 'paused' ? e : null;
    });
    expect(paused.consecutiveFailures).toBe(5);
    const attemptsWhenPaused = receiver.at(hook.path).length;
    expect(attemptsWhenPaused).toBe(5);
    await client.product({ stock: 0 }); // still queued while paused, not sent
    await eventually(async () => (await deliveries(hook.id)).length === 3 || null);
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.at(hook.path)).toHaveLength(attemptsWhenPaused);
    const statuses = (await deliveries(hook.id)).map((d) => d.status).sort();
    expect(statuses).toEqual(['failed', 'pending', 'pending']);

    receiver.plans.set(hook.path, []);
    expect((await call('POST', `/admin/webhooks/${hook.id}/enable`)).body).toMatchObject({ status: 'active', consecutiveFailures: 0 });
    await eventually(async () => {
      const s = (await deliveries(hook.id)).map((d) => d.status).sort();
      return s.join() === 'delivered,delivered,failed' || null;
    });
  });

  test('after a secret rotation both secrets sign for the grace period', async () => {
    const hook = await register(['product.created']);
    const rotated = await call('POST', `/admin/webhooks/${hook.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(hook.secret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    receiver.secrets.set(hook.path, [rotated.body.secret]);
    await client.product({ stock: 0 });
    await settled(hook.id, 'delivered');
    expect(receiver.at(hook.path)[0]).toMatchObject({ signatureValid: true, secretIndex: 0 });
    const signatures = String(receiver.at(hook.path)[0]!.headers['webhook-signature']).split(' ');
    expect(signatures).toHaveLength(2);
    receiver.secrets.set(hook.path, [hook.secret]);
    await client.product({ stock: 0 });
    await settled(hook.id, 'delivered', 2);
    expect(receiver.at(hook.path)[1]!.signatureValid).toBe(true); // the old secret still verifies
  });
});

test('an order placed through checkout reaches a subscribed endpoint exactly once, even when the event is delivered again', async () => {
  const hook = await register(['order.placed']);
  const { variantId } = await client.product({ stock: 5 });
  const cart = await client.cart();
  await client.add(cart, variantId, 2);
  const placed: Reply = await client.checkout(cart, CARDS.ok);
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const orderId = placed.body.orderId as string;
  const [delivery] = await settled(hook.id, 'delivered');
  const envelope = JSON.parse(receiver.at(hook.path)[0]!.body);
  expect(envelope).toMatchObject({ type: 'order.placed', aggregateId: orderId });

  // The bus redelivers the same event: the inbox (and the endpoint/event key) make it a no-op.
  const fanOut = app.consumerDefinitions.find((c) => c.name === 'webhooks.queue-deliveries')!;
  expect(await app.consumers.deliver(fanOut, envelope)).toBe('duplicate');
  await new Promise((r) => setTimeout(r, 300));
  expect(receiver.at(hook.path).filter((r) => JSON.parse(r.body).aggregateId === orderId)).toHaveLength(1);
  expect(await deliveries(hook.id)).toEqual([expect.objectContaining({ id: delivery!.id, eventId: envelope.id })]);
});

test('an event no enabled endpoint wants costs the fan-out no transaction and no inbox row; once one subscribes, it is queued', async () => {
  const fanOut = app.consumerDefinitions.find((c) => c.name === 'webhooks.queue-deliveries')!;
  const low = () => inventoryLow.create(newId(), { variantId: newId(), available: 1, threshold: 5 });
  const inboxRows = async (eventId: string) => (await selectRows(app.database.db, sql`select 1 from inbox where consumer = ${fanOut.name} and event_id = ${eventId}`)).length;
  const disabled = await register(['inventory.low']);
  await call('POST', `/admin/webhooks/${disabled.id}/disable`);
  const unwanted = low();
  expect(await app.consumers.deliver(fanOut, unwanted)).toBe('skipped');
  expect(await inboxRows(unwanted.id)).toBe(0);

  // Read from the database, not remembered: the next event already sees a new subscriber.
  const hook = await register(['inventory.low']);
  const wanted = low();
  expect(await app.consumers.deliver(fanOut, wanted)).toBe('handled');
  expect(await inboxRows(wanted.id)).toBe(1);
  expect((await settled(hook.id, 'delivered')).map((d) => d.eventId)).toEqual([wanted.id]);
  expect(await deliveries(disabled.id)).toEqual([]);
});
