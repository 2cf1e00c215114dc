/**
 * `npm run bench:checkout`: checkout on real PostgreSQL through HTTP, the app in its own
 * process. Steady: BENCH_CLIENTS shoppers (autocannon connections) each loop cart → item →
 * checkout for BENCH_SECONDS; orders/s counts completed checkouts, p50/p99 time the checkout
 * request. Flash sale: BENCH_BUYERS carts with one unit each, all checked out at once against
 * BENCH_UNITS units; it must sell exactly the units, with no 5xx. Writes
 * bench/results/checkout.json.
 * BENCH_ROLE=api runs the app without its order processing (no relay, no consumers), to
 * measure what the request path alone sustains; its events stay in the outbox.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { openDatabase, selectRows } from '../src/platform/db/database.js';
import { createStaffUser } from '../src/modules/identity/accounts.js';
import { createServerDatabase } from '../test/support/server-database.js';
import { machineCpuSeconds, processCpuSeconds, processesCpuSeconds } from './lib/cpu-time.js';
import { startServerProcess } from './lib/server-process.js';
import { printTable, writeResult } from './lib/report.js';
import { shopperLoop } from './lib/shopper-loop.js';

const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const clients = Number(process.env.BENCH_CLIENTS ?? 32);
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const buyers = Number(process.env.BENCH_BUYERS ?? 5000);
const units = Number(process.env.BENCH_UNITS ?? 100);
const statementsDir = process.env.BENCH_STATEMENTS_DIR;
// The app's default pool (DATABASE_POOL_SIZE): on two cores it beat 20 and 30 connections (bench/README.md).
const pool = Number(process.env.BENCH_POOL ?? 10);
const requestPathOnly = process.env.BENCH_ROLE === 'api';
let placedOrders = 0;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number) : 0;
};
const round = (x: number) => Math.round(x * 10) / 10;

const serverDb = await createServerDatabase(baseUrl);
const server = await startServerProcess('servers/cloudmart.ts', {
  DATABASE_URL: serverDb.url, DATABASE_POOL_SIZE: String(pool), TEST_PAYMENTS_WEBHOOK_DELAY_MS: '50',
  TEST_PAYMENTS_WEBHOOK_DUPLICATE_PERCENT: '20', RELAY_POLL_MS: '20', AUTH_RATE_LIMIT_PER_IP: '1000000',
});
const database = await openDatabase({ databaseUrl: serverDb.url, dataDir: 'memory://', poolSize: 2 });

// Buyers share a bounded pool of keep-alive connections, as behind a load balancer: all 5,000
// requests are in flight at once from the client's side, queued on BENCH_SOCKETS connections.
const agent = new Agent({ keepAlive: true, maxSockets: Number(process.env.BENCH_SOCKETS ?? 256) });
function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const payload = body ? JSON.stringify(body) : undefined;
  return new Promise((done, fail) => {
    const req = request(`${server.url}${path}`, { method, agent, headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => done({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(payload);
  });
}
async function ok(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await call(method, path, body, headers);
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

try {
  const email = `bench-staff-${randomBytes(4).toString('hex')}@example.com`;
  const password = `Bench-${randomBytes(9).toString('base64url')}-Tea!`;
  await createStaffUser(database, null, { email, password, name: 'Bench staff', role: 'staff' });
  const staff = { authorization: `Bearer ${(await ok('POST', '/auth/login', { email, password })).accessToken}` };
  const product = async (stock: number) => {
    const n = randomBytes(5).toString('hex');
    const p = await ok('POST', '/admin/products', { title: `Bench ${n}`, handle: `bench-${n}`, status: 'published', variants: [{ sku: `B-${n}`, prices: [{ currency: 'USD', amount: 1999 }] }] }, staff);
    await ok('POST', `/admin/inventory/${p.variants[0].id}/adjustments`, { delta: stock, reason: 'received' }, staff);
    return p.variants[0].id as string;
  };
  const { token } = await ok('POST', '/payments/test/tokens', { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' });
  const cartWith = async (variantId: string) => {
    const c = await ok('POST', '/store/carts', { currency: 'USD', email: 'buyer@example.com' });
    const headers = { 'x-cart-token': c.token as string };
    await ok('POST', `/store/carts/${c.id}/items`, { variantId, quantity: 1 }, headers);
    return { id: c.id as string, headers };
  };
  const checkout = async (cart: { id: string; headers: Record<string, string> }) => {
    const started = performance.now();
    const r = await call('POST', `/store/carts/${cart.id}/checkout`, { paymentToken: token }, { ...cart.headers, 'idempotency-key': randomBytes(8).toString('hex') })
      .catch(() => ({ status: 0, body: null }));
    return { status: r.status, ms: performance.now() - started };
  };

  // Steady load.
  const steadyVariant = await product(1_000_000);
  console.error(`steady: ${clients} shoppers for ${seconds} s (after 3 s warm-up)`);
  const latencies: number[] = [];
  let orders = 0;
  let errors5xx = 0;
  let measuring = false;
  // Where the machine's CPU goes: the app, PostgreSQL, this load generator, and the rest.
  const cpuNow = () => {
    const client = process.cpuUsage();
    return { app: processCpuSeconds(server.pid), postgres: processesCpuSeconds('postgres'), client: (client.user + client.system) / 1e6, machine: machineCpuSeconds() };
  };
  // The app's queries waiting for a pool connection (its /metrics gauge), sampled while measuring:
  // a checkout takes a connection about five times, and waits its turn each time.
  const poolWaiting: number[] = [];
  const sampler = setInterval(() => {
    if (!measuring) return;
    void fetch(`${server.url}/metrics`).then((r) => r.text()).then((text) => {
      const waiting = /^db_pool_clients_waiting (\d+)$/m.exec(text)?.[1];
      if (waiting !== undefined) poolWaiting.push(Number(waiting));
    }).catch(() => undefined);
  }, 100);
  // Each autocannon connection is a shopper looping cart → line → checkout. Its HTTP client takes
  // about half the CPU per order node:http took (bench/README.md), on cores the app shares.
  const shoppers = (duration: number) => autocannon({ url: server.url, connections: clients, duration, requests: shopperLoop(steadyVariant, token, (status, ms) => {
    if (!measuring) return;
    latencies.push(ms);
    if (status === 201) orders++;
    if (status >= 500) errors5xx++;
  }) });
  await shoppers(3);
  measuring = true;
  const measuredFrom = performance.now();
  const cpuFrom = cpuNow();
  const run = await shoppers(seconds);
  measuring = false;
  // Requests that failed without an answer (refused, reset or timed out), as status 0 was before.
  errors5xx += run.errors + run.timeouts;
  clearInterval(sampler);
  const measuredSeconds = (performance.now() - measuredFrom) / 1000;
  // CPU per order counts the consumers' work done meanwhile, not the catch-up after (compare it with events behind).
  const cpuTo = cpuNow();
  const cpuMsPerOrder = (part: keyof typeof cpuTo) => {
    const [to, from] = [cpuTo[part], cpuFrom[part]];
    return to === null || from === null || orders === 0 ? null : round(((to - from) * 1000) / orders);
  };
  const [appCpuMsPerOrder, postgresCpuMsPerOrder, clientCpuMsPerOrder, machineCpuMsPerOrder] = (['app', 'postgres', 'client', 'machine'] as const).map(cpuMsPerOrder);
  // Orders/s counts only what the shoppers were told; the order processing behind it (capture,
  // stock commit, fulfilment, mail) must keep up too. With the in-process bus an event leaves the
  // outbox once every consumer has handled it, so the rows still there are the work left behind.
  const unsent = async () => (await selectRows<{ n: number }>(database.db, sql`select count(*)::int as n from outbox where published_at is null`))[0]?.n ?? 0;
  const eventsBehindAtEnd = await unsent();
  const catchUpStarted = performance.now();
  while (!requestPathOnly && (await unsent()) > 0 && performance.now() - catchUpStarted < 300_000) await new Promise((r) => setTimeout(r, 200));
  const secondsToCatchUp = (performance.now() - catchUpStarted) / 1000;
  const steady = {
    ordersPerSecond: round(orders / measuredSeconds), p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)), errors5xx,
    eventsBehindAtEnd, secondsToCatchUp: round(secondsToCatchUp),
    // What the shop sustains end to end: the orders, over the time until their processing was done too.
    ordersFullyProcessedPerSecond: round(orders / (measuredSeconds + secondsToCatchUp)),
    appCpuMsPerOrder, postgresCpuMsPerOrder, clientCpuMsPerOrder, machineCpuMsPerOrder,
    poolWaitingMean: round(poolWaiting.reduce((sum, n) => sum + n, 0) / Math.max(1, poolWaiting.length)), poolWaitingP99: percentile(poolWaiting, 99),
  };

  // Flash sale.
  const flashVariant = await product(units);
  console.error(`flash sale: preparing ${buyers} carts`);
  const carts = [];
  for (let i = 0; i < buyers; i += 200) carts.push(...(await Promise.all(Array.from({ length: Math.min(200, buyers - i) }, () => cartWith(flashVariant)))));
  console.error(`flash sale: ${buyers} buyers at once for ${units} units`);
  const results = await Promise.all(carts.map(checkout));
  const sold = results.filter((r) => r.status === 201).length;
  await new Promise((r) => setTimeout(r, 2000));
  const [row] = await selectRows<{ orders: number; quantity: number }>(database.db, sql`
    select count(distinct l.order_id)::int as orders, coalesce(sum(l.quantity), 0)::int as quantity from order_lines l where l.variant_id = ${flashVariant}`);
  const stock = await ok('GET', `/admin/inventory/${flashVariant}`, undefined, staff);
  const flashSale = {
    buyers, units, orders: row?.orders ?? 0, oversold: Math.max(0, (row?.quantity ?? 0) - units),
    errors5xx: results.filter((r) => r.status >= 500 || r.status === 0).length, p99Ms: round(percentile(results.map((r) => r.ms), 99)),
    acknowledged: sold, outOfStock: results.filter((r) => r.status === 409).length,
    // Status 0: the client gave up or the connection failed (counted with the 5xx above, not hidden).
    statuses: Object.fromEntries([...new Set(results.map((r) => r.status))].map((s) => [s, results.filter((r) => r.status === s).length])), stock,
  };
  // The load average at the end includes this benchmark's own load (client, server and PostgreSQL on the same cores).
  const machine = { cpus: cpus().length, loadavgAtEnd: loadavg().map(round) };
  const file = writeResult('checkout', { steady, flashSale, machine, settings: { clients, seconds, pool, role: requestPathOnly ? 'api' : 'all' } });
  printTable(['run', 'orders/s', 'p50 ms', 'p99 ms', '5xx', 'events behind at end', 'catch-up s', 'fully processed/s', 'CPU ms/order: app', 'PostgreSQL', 'load generator', 'machine', 'pool waiting mean/p99'],
    [['steady', steady.ordersPerSecond, steady.p50Ms, steady.p99Ms, steady.errors5xx, steady.eventsBehindAtEnd, steady.secondsToCatchUp, steady.ordersFullyProcessedPerSecond, ...[appCpuMsPerOrder, postgresCpuMsPerOrder, clientCpuMsPerOrder, machineCpuMsPerOrder].map((ms) => ms ?? '-'), `${steady.poolWaitingMean}/${steady.poolWaitingP99}`]]);
  printTable(['flash', 'buyers', 'units', 'orders', 'oversold', '5xx', 'p99 ms'], [['flash sale', buyers, units, flashSale.orders, flashSale.oversold, flashSale.errors5xx, flashSale.p99Ms]]);
  console.error(`wrote ${file}`);
  placedOrders = (await selectRows<{ n: number }>(database.db, sql`select count(*)::int as n from orders`))[0]?.n ?? 0;
} finally {
  agent.destroy();
  await database.close();
  await server.stop();
  await serverDb.drop();
}
if (statementsDir && placedOrders > 0) {
  const counted = JSON.parse(readFileSync(`${statementsDir}/statements-${server.pid}.json`, 'utf8')) as { count: number; statement: string }[];
  const total = counted.reduce((sum, c) => sum + c.count, 0);
  console.log(`\n${round(total / placedOrders)} statements per order (${total} for ${placedOrders} orders, set-up and flash sale included); the most frequent:`);
  printTable(['per order', 'statement'], counted.slice(0, 25).map((c) => [round(c.count / placedOrders), c.statement.slice(0, 110)]));
}
