import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { connect, type NatsConnection } from 'nats';
import { afterAll, expect, test } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, selectRows, type Database } from '../src/platform/db/database.js';
import { createLogger } from '../src/platform/observability/logger.js';
import { createActor } from './support/actors.js';
import { CARDS, shopClient } from './checkout-support.js';
import { createServerDatabase } from './support/server-database.js';
import type { TestApp } from './support/test-app.js';

/**
 * The crash test: the real server process takes a checkout load, is killed with SIGKILL
 * in the middle of it, and is started again on the same database. Once the relay, consumers and
 * sweeper have caught up, nothing a shopper saw acknowledged is lost or doubled, the stock adds
 * up, every order.placed was handled once by every consumer, and the processor captured no money
 * without an order. The processor (the test provider) keeps its ledger in a file, so it outlives
 * the crash as a real processor does. Runs on PostgreSQL with DATABASE_URL, else on a PGlite
 * data directory (one connection there, so the load is smaller); on NATS JetStream with
 * NATS_URL (a stream of its own, deleted afterwards), where the events the killed process held
 * unacknowledged come back after the ack wait, shortened here to 2 s.
 */
const root = resolve(import.meta.dirname, '..');
const onServer = Boolean(process.env.DATABASE_URL);
const natsStream = process.env.NATS_URL ? `CRASH_${randomBytes(6).toString('hex')}` : null;
/** One connection for the backlog checks and the clean-up. */
let nats: NatsConnection | null = null;
const VARIANTS = 4;
const STOCK = onServer ? 60 : 25;
const SHOPPERS = onServer ? 16 : 6;
const KILL_AFTER = onServer ? 40 : 12;
const dir = mkdtempSync(join(tmpdir(), 'cm-crash-'));
const ledgerFile = join(dir, 'processor-ledger.jsonl');
const children: ChildProcess[] = [];
let dropServerDb: (() => Promise<void>) | null = null;

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await dropServerDb?.();
  if (natsStream) {
    nats ??= await connect({ servers: process.env.NATS_URL });
    await (await nats.jetstreamManager()).streams.delete(natsStream).catch(() => false);
    await nats.close();
  }
});

async function environment(): Promise<Record<string, string>> {
  const base: Record<string, string> = {
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn', PORT: '0', SEED_DEMO_DATA: 'false', RELAY_POLL_MS: '20', CONSUMER_BACKOFF_MS: '5',
    RESERVATION_TTL_SECONDS: '5', TEST_PAYMENTS_LEDGER_FILE: ledgerFile, TEST_PAYMENTS_WEBHOOK_SECRET: 'whsec_crash',
    TEST_PAYMENTS_WEBHOOK_DELAY_MS: '30', TEST_PAYMENTS_WEBHOOK_DUPLICATE_PERCENT: '50', SHUTDOWN_TIMEOUT_MS: '15000',
  };
  if (natsStream) Object.assign(base, { NATS_URL: process.env.NATS_URL as string, NATS_STREAM: natsStream, NATS_ACK_WAIT_MS: '2000' });
  if (!process.env.DATABASE_URL) return { ...base, DATA_DIR: join(dir, 'data') };
  const db = await createServerDatabase(process.env.DATABASE_URL);
  dropServerDb = db.drop;
  return { ...base, DATA_DIR: join(dir, 'data'), DATABASE_URL: db.url, DATABASE_POOL_SIZE: '20' };
}

function startServer(env: Record<string, string>) {
  const { DATABASE_URL: _db, NATS_URL: _nats, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], { cwd: root, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const exited = new Promise<number | string>((done) => child.on('exit', (code, signal) => done(code ?? signal ?? -1)));
  const url = (async () => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const match = /CloudMart is running at (http:\/\/\S+)/.exec(output);
      if (match) return (match[1] as string).replace('localhost', '127.0.0.1');
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the server did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return { child, exited, url, output: () => output };
}

interface Attempt { cartId: string; token: string; key: string; paymentToken: string; status: number | 'lost'; body: any } // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(`${base}${path}`, { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text && String(r.headers.get('content-type')).includes('json') ? JSON.parse(text) : text };
}

/** One shopper: a cart with one or two lines, then checkout with a fresh Idempotency-Key, again and again until told to stop. */
async function shopper(base: string, variants: string[], tokens: { ok: string; declined: string }, attempts: Attempt[], stop: () => boolean) {
  while (!stop()) {
    let cart: { id: string; token: string };
    try {
      cart = (await call(base, 'POST', '/store/carts', { currency: 'USD', email: `crash-${randomBytes(3).toString('hex')}@example.com` })).body;
      const headers = { 'x-cart-token': cart.token };
      const picks = [variants[Math.floor(Math.random() * variants.length)] as string];
      if (Math.random() < 0.3) picks.push(variants[Math.floor(Math.random() * variants.length)] as string);
      for (const variantId of new Set(picks)) await call(base, 'POST', `/store/carts/${cart.id}/items`, { variantId, quantity: 1 + Math.floor(Math.random() * 2) }, headers);
    } catch {
      return; // the server went away before this cart was checked out: nothing to account for
    }
    const attempt: Attempt = { cartId: cart.id, token: cart.token, key: randomBytes(8).toString('hex'), paymentToken: Math.random() < 0.15 ? tokens.declined : tokens.ok, status: 'lost', body: null };
    attempts.push(attempt);
    try {
      const r = await call(base, 'POST', `/store/carts/${cart.id}/checkout`, { paymentToken: attempt.paymentToken }, { 'x-cart-token': cart.token, 'idempotency-key': attempt.key });
      attempt.status = r.status;
      attempt.body = r.body;
    } catch {
      return; // killed in flight: the outcome is unknown to the shopper
    }
  }
}

/** Events JetStream still has to deliver or to see acknowledged, over every durable consumer of the test's stream; 0 without NATS. */
async function natsBacklog(): Promise<number> {
  if (!natsStream) return 0;
  nats ??= await connect({ servers: process.env.NATS_URL });
  let left = 0;
  for await (const info of (await nats.jetstreamManager()).consumers.list(natsStream)) left += info.num_pending + info.num_ack_pending;
  return left;
}

const rows = <T>(db: Database, query: ReturnType<typeof sql>) => selectRows<T>(db.db, query);
const metric = async (base: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec((await call(base, 'GET', '/metrics')).body ?? '')?.[1] ?? NaN);

test('SIGKILL during a checkout load loses nothing acknowledged, doubles nothing, and the stock, inboxes and payments add up', async () => {
  const env = await environment();
  const t0 = Date.now();
  const phases: string[] = [];
  const phase = (name: string) => phases.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)}s`);

  // The shop, set up in this process through the API, then closed so the server owns the database.
  const setup = await createApp(loadConfig(env), { logger: createLogger('silent') }) as App;
  // A consumer with wants() may pass an event over before any transaction (no inbox row), e.g. the webhooks fan-out with no endpoint.
  const placedConsumers = setup.consumerDefinitions.filter((c) => c.types.includes('order.placed')).map((c) => ({ name: c.name, mayPass: Boolean(c.wants) }));
  const staff = await createActor(Object.assign(setup, { url: '' }) as TestApp, 'staff');
  const shop = shopClient(Object.assign(setup, { url: '' }) as TestApp, staff.headers);
  const variants: string[] = [];
  for (let i = 0; i < VARIANTS; i++) variants.push((await shop.product({ stock: STOCK, price: 1000 + i * 250 })).variantId);
  const tokens = { ok: await shop.cardToken(CARDS.ok), declined: await shop.cardToken(CARDS.declined) };
  await setup.close();
  phase('setup');
  expect(placedConsumers.length).toBeGreaterThanOrEqual(4);

  // Load, then SIGKILL once enough orders were acknowledged (others are in flight at that moment).
  const first = startServer(env);
  const base1 = await first.url;
  phase('started');
  const attempts: Attempt[] = [];
  let killed = false;
  const load = Promise.all(Array.from({ length: SHOPPERS }, () => shopper(base1, variants, tokens, attempts, () => killed)));
  const deadline = Date.now() + 20_000;
  while (attempts.filter((a) => a.status === 201).length < KILL_AFTER && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  first.child.kill('SIGKILL');
  killed = true;
  expect(await first.exited).toBe('SIGKILL');
  await load;
  phase('killed');
  const acknowledged = attempts.filter((a) => a.status === 201);
  const lost = attempts.filter((a) => a.status === 'lost');
  expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);

  // Restart on the same database; shoppers whose checkout was cut off retry it with the same key.
  const second = startServer(env);
  const base = await second.url;
  phase('restarted');
  const retried = await Promise.all(lost.map(async (a) => {
    for (let i = 0; i < 40; i++) {
      const r = await call(base, 'POST', `/store/carts/${a.cartId}/checkout`, { paymentToken: a.paymentToken }, { 'x-cart-token': a.token, 'idempotency-key': a.key });
      if (r.status !== 409 || r.body?.type !== '/problems/idempotency-in-progress') return { ...a, status: r.status, body: r.body };
      await new Promise((done) => setTimeout(done, 500));
    }
    return { ...a, status: 409, body: { type: '/problems/idempotency-in-progress' } };
  }));
  phase('retried');
  const stuck = retried.filter((a) => a.body?.type === '/problems/idempotency-in-progress');
  expect(stuck.map((a) => a.cartId), 'a checkout cut off by the crash can never be retried with its key').toEqual([]);
  // A failure names the restarted server's logged errors: the 500's cause is only there.
  const serverErrors = second.output().split('\n').filter((line) => line.includes('"level":50')).join('\n');
  for (const a of retried) expect([201, 402, 409, 422], `${JSON.stringify(a.body)}\n${serverErrors}`).toContain(a.status);

  // Catch-up: every hold resolved (completed or released by the sweeper), the outbox drained and,
  // on NATS, where the outbox empties before the consumers are done, no event left unacknowledged.
  const settledBy = Date.now() + 40_000;
  for (;;) {
    const stock = await Promise.all(variants.map(async (v) => (await call(base, 'GET', `/admin/inventory/${v}`, undefined, staff.headers)).body));
    if (stock.every((s) => s.reserved === 0) && (await metric(base, 'outbox_pending_events')) === 0 && (await natsBacklog()) === 0) break;
    if (Date.now() > settledBy) throw new Error(`did not settle: ${JSON.stringify(stock)}\n${second.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  phase('settled');
  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);

  const db = await openDatabase({ databaseUrl: env.DATABASE_URL ?? null, dataDir: env.DATA_DIR as string, poolSize: 2 });
  try {
    const orders = await rows<{ id: string; cart_id: string; number: string; status: string; payment_id: string }>(db, sql`select id, cart_id, number, status, payment_id from orders order by number`);
    const byId = new Map(orders.map((o) => [o.id, o]));
    // Every acknowledged order exists exactly once, with the number the shopper was shown; numbers have no gaps.
    for (const a of [...acknowledged, ...retried.filter((r) => r.status === 201)]) {
      const order = byId.get(a.body.orderId as string);
      expect(order, `acknowledged order ${a.body.orderId} is missing`).toBeDefined();
      expect({ cartId: order?.cart_id, number: Number(order?.number) }).toEqual({ cartId: a.cartId, number: a.body.number });
    }
    expect(new Set(orders.map((o) => o.cart_id)).size).toBe(orders.length);
    expect(orders.map((o) => Number(o.number))).toEqual(orders.map((_, i) => 1001 + i));
    expect(await rows(db, sql`select id from carts where status = 'checking_out'`)).toEqual([]);

    // Stock: nothing held, committed is exactly what live orders bought, on hand untouched.
    const levels = await rows<{ variant_id: string; on_hand: number; reserved: number; committed: number }>(db, sql`select variant_id, on_hand, reserved, committed from inventory_levels`);
    const sold = await rows<{ variant_id: string; units: string }>(db, sql`
      select l.variant_id, sum(l.quantity) as units from order_lines l join orders o on o.id = l.order_id where o.status <> 'cancelled' group by l.variant_id`);
    const soldOf = new Map(sold.map((s) => [s.variant_id, Number(s.units)]));
    for (const v of variants) {
      const level = levels.filter((l) => l.variant_id === v);
      const sum = (k: 'on_hand' | 'reserved' | 'committed') => level.reduce((n, l) => n + Number(l[k]), 0);
      expect({ variant: v, onHand: sum('on_hand'), reserved: sum('reserved'), committed: sum('committed') })
        .toEqual({ variant: v, onHand: STOCK, reserved: 0, committed: soldOf.get(v) ?? 0 });
      expect(sum('on_hand') - sum('committed') - sum('reserved')).toBeGreaterThanOrEqual(0);
    }

    // Every order.placed handled exactly once by every consumer of it, none dead-lettered.
    const placed = await rows<{ id: string }>(db, sql`select id from outbox where type = 'order.placed'`);
    expect(placed.length).toBe(orders.length);
    for (const { name, mayPass } of placedConsumers) {
      const [handled] = await rows<{ n: string }>(db, sql`select count(*) as n from inbox where consumer = ${name} and event_id in (select id from outbox where type = 'order.placed')`);
      if (mayPass) expect(Number(handled?.n)).toBeLessThanOrEqual(placed.length);
      else expect({ consumer: name, handled: Number(handled?.n) }).toEqual({ consumer: name, handled: placed.length });
    }
    expect(await rows(db, sql`select consumer, error from dead_letters`)).toEqual([]);

    // The processor's side: money captured only for orders, at most once each, and every live order captured.
    const ledger = new Map<string, { status: string; captureCount: number }>();
    for (const line of readFileSync(ledgerFile, 'utf8').split('\n').filter(Boolean)) {
      const entry = JSON.parse(line) as { ref: string; status: string; captureCount: number };
      ledger.set(entry.ref, entry);
    }
    const refOf = (paymentId: string) => `tp_${paymentId.replace(/-/g, '')}`;
    const orderRefs = new Set(orders.map((o) => refOf(o.payment_id)));
    const capturedRefs = [...ledger].filter(([, e]) => e.captureCount > 0).map(([ref]) => ref);
    expect(capturedRefs.filter((ref) => !orderRefs.has(ref)), 'captured without an order').toEqual([]);
    expect([...ledger.values()].filter((e) => e.captureCount > 1)).toEqual([]);
    const live = orders.filter((o) => o.status !== 'cancelled');
    expect(live.filter((o) => ledger.get(refOf(o.payment_id))?.status !== 'captured').map((o) => o.number)).toEqual([]);

    console.info(`crash test (${onServer ? 'PostgreSQL' : 'PGlite'}${natsStream ? ', NATS' : ''}): ${attempts.length} checkouts before the kill, ${acknowledged.length} acknowledged, ${lost.length} cut off `
      + `(retried: ${retried.filter((r) => r.status === 201).length} completed, ${retried.filter((r) => r.status !== 201).length} refused); ${orders.length} orders, `
      + `${orders.length - live.length} cancelled; ${[...ledger.values()].filter((e) => e.status === 'authorized').length} authorizations left uncaptured at the processor; ${phases.join(', ')}`);
  } finally {
    await db.close();
  }
}, 110_000);
