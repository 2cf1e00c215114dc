import { afterAll, beforeAll, expect, test } from 'vitest';
import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, eventually, type TestApp } from './support/test-app.js';
import { runSeeders } from '../src/platform/seed.js';
import { catalogSeeder } from '../src/modules/catalog/seed.js';

let app: TestApp;
const mediaDir = mkdtempSync(join(tmpdir(), 'cm-seed-media-'));
beforeAll(async () => {
  // The seeder stores its generated images where the seeding process's config says.
  process.env.MEDIA_DIR = mediaDir;
  app = await startTestApp({ env: { CATALOG_SYNC_MS: '20', MEDIA_DIR: mediaDir } });
});
afterAll(async () => {
  await app.close();
  rmSync(mediaDir, { recursive: true, force: true });
});

test('the demo catalog: ~500 products in ~20 categories, three currencies, reviews; a running store picks it up', async () => {
  const quiet = new Writable({ write: (_c, _e, done) => done() }) as unknown as NodeJS.WriteStream;
  await runSeeders(app.database, [catalogSeeder], { seed: 7, logger: app.logger, stream: quiet });
  const list = await eventually(async () => {
    const r = (await app.http.inject({ url: '/store/products?facets=true' })).json();
    return r.total > 0 ? r : null;
  });
  expect(list.total).toBe(480); // every 25th is a draft
  const tree = (await app.http.inject({ url: '/store/categories' })).json().categories;
  expect(tree.length + tree.reduce((n: number, c: { children: unknown[] }) => n + c.children.length, 0)).toBe(21);
  const handle = list.items[0].handle;
  for (const currency of ['USD', 'EUR', 'GBP']) {
    const p = (await app.http.inject({ url: `/store/products/${handle}?currency=${currency}` })).json();
    expect(Number.isInteger(p.price.amount)).toBe(true);
  }
  const rated = (await app.http.inject({ url: '/store/products?sort=rating&limit=1' })).json().items[0];
  expect(rated.rating.count).toBeGreaterThan(0);
  const reviews = (await app.http.inject({ url: `/store/products/${rated.handle}/reviews` })).json().items;
  expect(reviews.length).toBe(rated.rating.count);
  // Text agrees with stars: no five-star review reads as a complaint.
  for (const r of reviews) if (r.rating >= 4) expect(r.body).not.toMatch(/terrible|awful|disappointed/i);
  expect((await app.http.inject({ url: '/store/search?q=hoodei' })).json().total).toBeGreaterThan(0);
  // Generated product images, served as real WebP variants.
  const image = (await app.http.inject({ url: `/store/products/${handle}` })).json().images[0];
  expect(image.url).toMatch(/^\/media\/[0-9a-f-]+\/480\.webp$/);
  const served = await app.http.inject({ url: image.url });
  expect(served.statusCode).toBe(200);
  expect(served.headers['content-type']).toBe('image/webp');
}, 180_000);
