import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { signPayload } from '../src/modules/payments/signing.js';
import { createActor } from './support/actors.js';
import { eventually, startTestApp, type StartOptions, type TestApp } from './support/test-app.js';

type Headers = Record<string, string>;
export interface Reply { status: number; body: any; headers: Record<string, unknown> } // eslint-disable-line @typescript-eslint/no-explicit-any

export const CARDS = { ok: '4242424242424242', declined: '4000000000000002', insufficient: '4000000000009995', threeds: '4000000000003220', nocapture: '4000000000000341' } as const;

/** A shop driven through its HTTP API only: staff set up products and stock, shoppers fill carts and pay. */
export function shopClient(app: TestApp, staff: Headers) {
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Headers = {}): Promise<Reply> => {
    const r = await app.http.inject({ method, url, payload: payload as never, headers });
    return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : null, headers: r.headers };
  };
  const ok = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Headers = {}) => {
    const r = await call(method, url, payload, headers);
    if (r.status >= 300) throw new Error(`${method} ${url} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const tokens = new Map<string, string>();
  const cardToken = async (number: string) => {
    const known = tokens.get(number);
    if (known) return known;
    const { token } = await ok('POST', '/payments/test/tokens', { number, expMonth: 12, expYear: 2099, cvc: '123' });
    tokens.set(number, token);
    return token as string;
  };

  return {
    call, ok, cardToken,
    async product(opts: { stock: number; price?: number; currency?: string; backorder?: boolean; status?: string } = { stock: 10 }) {
      const n = randomBytes(5).toString('hex');
      const p = await ok('POST', '/admin/products', {
        title: `Tea ${n}`, handle: `tea-${n}`, status: opts.status ?? 'published',
        variants: [{ sku: `TEA-${n}`, prices: [{ currency: opts.currency ?? 'USD', amount: opts.price ?? 1000 }] }],
      }, staff);
      const variantId = p.variants[0].id as string;
      if (opts.stock > 0) await ok('POST', `/admin/inventory/${variantId}/adjustments`, { delta: opts.stock, reason: 'received' }, staff);
      if (opts.backorder) await ok('PATCH', `/admin/inventory/${variantId}`, { backorder: true }, staff);
      return { variantId, productId: p.id as string };
    },
    stock: (variantId: string) => ok('GET', `/admin/inventory/${variantId}`, undefined, staff),
    async cart(currency = 'USD', email = 'shopper@example.com') {
      const c = await ok('POST', '/store/carts', { currency, email });
      return { id: c.id as string, token: c.token as string, headers: { 'x-cart-token': c.token as string } };
    },
    async add(cart: { id: string; headers: Headers }, variantId: string, quantity = 1) {
      return ok('POST', `/store/carts/${cart.id}/items`, { variantId, quantity }, cart.headers);
    },
    async checkout(cart: { id: string; headers: Headers }, card: string = CARDS.ok, key: string | null = randomBytes(8).toString('hex')) {
      const headers = { ...cart.headers, ...(key ? { 'idempotency-key': key } : {}) };
      return call('POST', `/store/carts/${cart.id}/checkout`, { paymentToken: await cardToken(card) }, headers);
    },
    order: (id: string) => ok('GET', `/admin/orders/${id}`, undefined, staff),
  };
}

export type Shop = ReturnType<typeof shopClient>;

/** A fresh app on its own database, a staff member, and the shop client acting as them (close the app when done). */
export async function startShop(options: StartOptions = {}): Promise<{ app: TestApp; staff: Headers; shop: Shop }> {
  const app = await startTestApp(options);
  const staff = (await createActor(app, 'staff')).headers;
  return { app, staff, shop: shopClient(app, staff) };
}

/**
 * startShop() with no background work, and the test processor's own webhooks sent nowhere (port
 * 9 refuses them): every webhook and every commit is then the test's own.
 */
export const startQuietShop = (webhookSecret: string) =>
  startShop({ background: false, env: { TEST_PAYMENTS_WEBHOOK_SECRET: webhookSecret, TEST_PAYMENTS_WEBHOOK_URL: 'http://127.0.0.1:9/' } });

/** Posts a webhook exactly as the test processor would, signed with the app's secret. */
export async function postWebhook(app: TestApp, secret: string, type: string, ref: string, signature?: string): Promise<number> {
  const body = JSON.stringify({ id: `evt_${randomBytes(6).toString('hex')}`, type, data: { ref } });
  const r = await app.http.inject({ method: 'POST', url: '/webhooks/payments/test', headers: { 'content-type': 'application/json', 'cloudmart-signature': signature ?? signPayload(secret, body) }, payload: body });
  return r.statusCode;
}

export function expectProblem(r: Reply, status: number, slug: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(String(r.headers['content-type'])).toContain('application/problem+json');
  expect(r.body.type).toBe(`/problems/${slug}`);
}

/** Waits until every event is published and handled (the outbox is empty and the stock numbers settle). */
export async function settle(check: () => Promise<boolean>, timeoutMs = 15_000) {
  await eventually(async () => (await check()) || null, timeoutMs);
}

/** The processor's payment reference in a 3-D Secure answer (the last part of its next-action URL). */
export const nextActionRef = (r: Reply): string => (r.body.nextAction.url as string).split('/').pop() as string;

/** A checkout of one unit that waits for the shopper's 3-D Secure step, its authorization record then lost to a "crash" `openedSecondsAgo` ago. */
export async function orphanedThreeDSecureCheckout(app: TestApp, shop: Shop, openedSecondsAgo = 180) {
  const { variantId } = await shop.product({ stock: 1 });
  const cart = await shop.cart();
  await shop.add(cart, variantId);
  const ref = nextActionRef(await shop.checkout(cart, CARDS.threeds));
  await app.database.db.execute(sql`update payments set provider_ref = null, status = 'pending', card_brand = null, card_last4 = null,
    next_action_type = null, next_action_url = null, created_at = now() - make_interval(secs => ${openedSecondsAgo}) where provider_ref = ${ref}`);
  return { variantId, cart, ref };
}

/**
 * Runs a PL/pgSQL statement in a trigger before each row of `table` is inserted or updated
 * (`on`) where `when` holds (a condition on new and old): `perform pg_sleep(0.5)` holds the
 * writer there, `raise exception 'x'` fails it. Returns the way to take the trigger off.
 */
export async function inTrigger(app: TestApp, where: { table: string; on: 'insert' | 'update'; when: string }, statement: string): Promise<() => Promise<void>> {
  const name = `on_${where.table}_${randomBytes(4).toString('hex')}`;
  await app.database.db.execute(sql.raw(`create function ${name}() returns trigger language plpgsql as $$ begin ${statement}; return new; end $$`));
  await app.database.db.execute(sql.raw(`create trigger ${name} before ${where.on} on ${where.table} for each row when (${where.when}) execute function ${name}()`));
  return async () => {
    await app.database.db.execute(sql.raw(`drop trigger ${name} on ${where.table}`));
    await app.database.db.execute(sql.raw(`drop function ${name}()`));
  };
}

/** inTrigger() as a cart moves to completed (only cart `cartId`'s, when given). */
export const whenCartCompletes = (app: TestApp, statement: string, cartId?: string) =>
  inTrigger(app, { table: 'carts', on: 'update', when: `new.status = 'completed' and old.status <> 'completed'${cartId ? ` and new.id = '${cartId}'::uuid` : ''}` }, statement);

/** The result of `work` and the transactions committed meanwhile. */
export async function commitsDuring<T>(app: TestApp, work: () => Promise<T>): Promise<{ result: T; commits: number }> {
  let commits = 0;
  const stop = app.database.onCommit(() => {
    commits++;
  });
  try {
    return { result: await work(), commits };
  } finally {
    stop();
  }
}

/**
 * `send(first)` held half a second in the database by the trigger `hold` sets (taken off after),
 * and the rest sent meanwhile: they queue behind it, to be written together after it.
 */
export async function behindASlowOne<T, R>(hold: (statement: string) => Promise<() => Promise<void>>, send: (item: T) => Promise<R>, first: T, rest: readonly T[]): Promise<{ first: R; rest: R[] }> {
  const release = await hold('perform pg_sleep(0.5)');
  try {
    const slow = send(first);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const others = await Promise.all(rest.map(send));
    return { first: await slow, rest: others };
  } finally {
    await release();
  }
}
