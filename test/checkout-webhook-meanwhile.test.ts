import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createActors } from './support/actors.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { settle, shopClient, type Shop } from './checkout-support.js';

/**
 * The processor's webhook usually arrives while the shopper's own checkout request is still
 * placing the order. In the process running that completion it waits for it, rather than
 * queueing on the cart's lock in a transaction of its own only to find the same order. On
 * PGlite one connection serializes everything, so the webhook never overlaps a completion there.
 */
interface Answer { status: number; orderId?: string }
let app: TestApp;
let shop: Shop;
let processor: Server;
const answers: Answer[] = [];

beforeAll(async () => {
  if (!process.env.DATABASE_URL) return;
  // The processor's side: it sends the test provider's webhooks to the app over HTTP and keeps the answers.
  let target = '';
  processor = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      void fetch(`${target}/webhooks/payments/test`, { method: 'POST', headers: { 'content-type': 'application/json', 'cloudmart-signature': String(req.headers['cloudmart-signature']) }, body })
        .then(async (r) => {
          answers.push({ status: r.status, orderId: ((await r.json()) as { orderId?: string }).orderId });
          res.writeHead(r.status).end();
        });
    });
  });
  await new Promise<void>((done) => processor.listen(0, '127.0.0.1', done));
  const port = (processor.address() as AddressInfo).port;
  app = await startTestApp({
    listen: true, background: false,
    env: { TEST_PAYMENTS_WEBHOOK_DELAY_MS: '0', TEST_PAYMENTS_WEBHOOK_DUPLICATE_PERCENT: '0', TEST_PAYMENTS_WEBHOOK_URL: `http://127.0.0.1:${port}/` },
  });
  target = app.url;
  shop = shopClient(app, (await createActors(app)).staff.headers);
}, 60_000);
afterAll(async () => {
  await app?.close();
  processor?.close();
});

test.runIf(process.env.DATABASE_URL)('a webhook arriving while this process places the order gets that order, without a transaction of its own', async () => {
  const { variantId } = await shop.product({ stock: 50 });
  let commits = 0;
  app.database.onCommit(() => {
    commits++;
  });
  const perCheckout: number[] = [];
  for (let round = 0; round < 8; round++) {
    const cart = await shop.cart();
    await shop.add(cart, variantId);
    commits = 0;
    const r = await shop.checkout(cart);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    await settle(async () => answers.length === round + 1);
    expect(answers[round]).toEqual({ status: 200, orderId: r.body.orderId });
    perCheckout.push(commits);
  }
  // Opening the checkout and placing the order: two transactions, the webhook none.
  expect(perCheckout).toEqual(Array(8).fill(2));
});
