import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { startTestApp, eventually, type TestApp } from './support/test-app.js';
import { createActor, type TestActor } from './support/actors.js';
import { expectProblem } from './catalog-support.js';

let app: TestApp;
let staff: TestActor;
const dir = mkdtempSync(join(tmpdir(), 'cm-media-test-'));
beforeAll(async () => {
  app = await startTestApp({ env: { MEDIA_DIR: dir, MEDIA_MAX_BYTES: '200000', MEDIA_MAX_PIXELS: '2000000' } });
  staff = await createActor(app, 'staff');
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

function multipart(bytes: Buffer, filename: string, type = 'application/octet-stream') {
  const boundary = '----cm-test-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`);
  return { payload: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const upload = async (bytes: Buffer, filename = 'photo.jpg', headers = staff.headers) => {
  const body = multipart(bytes, filename);
  const r = await app.http.inject({ method: 'POST', url: '/admin/media', payload: body.payload, headers: { ...headers, ...body.headers } });
  return { status: r.statusCode, body: r.json(), headers: r.headers };
};

describe('media upload and variants', () => {
  test('a JPEG with EXIF becomes WebP and AVIF variants at 160/480/1024 px, EXIF stripped, with a placeholder colour and long-lived caching', async () => {
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 200, g: 40, b: 40 } } })
      .jpeg().withExif({ IFD0: { Copyright: 'secret-gps-owner' } }).toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const r = await upload(photo);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body).toMatchObject({ status: 'processing', contentType: 'image/jpeg', width: 1200, height: 800 });
    const ready = await eventually(async () => {
      const a = (await app.http.inject({ url: `/admin/media/${r.body.id}`, headers: staff.headers })).json();
      return a.status === 'ready' ? a : null;
    }, 30_000);
    expect(ready.variants.map((v: { name: string }) => v.name).sort()).toEqual(['1024.avif', '1024.webp', '160.avif', '160.webp', '480.avif', '480.webp']);
    expect(ready.placeholder).toMatch(/^#c[0-9a-f]2[0-9a-f]{3}$/);
    expect(ready.blurhash).toMatch(/^[0-9A-Za-z#$%*+,.:;=?@[\]^_{|}~-]{28}$/); // 4×3 components: 28 characters

    const small = await app.http.inject({ url: `/media/${r.body.id}/160.webp` });
    expect(small.statusCode).toBe(200);
    expect(small.headers['content-type']).toBe('image/webp');
    expect(small.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const meta = await sharp(small.rawPayload).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 160, height: 107 });
    expect(meta.exif).toBeUndefined();
    expect((await sharp((await app.http.inject({ url: `/media/${r.body.id}/480.avif` })).rawPayload).metadata()).format).toBe('heif');
    const again = await app.http.inject({ url: `/media/${r.body.id}/160.webp`, headers: { 'if-none-match': String(small.headers.etag) } });
    expect(again.statusCode).toBe(304);
    const missing = await app.http.inject({ url: `/media/${r.body.id}/999.webp` });
    expectProblem({ status: missing.statusCode, body: missing.json(), headers: missing.headers }, 404, 'media-variant-not-found');
  });

  test('a small original is never enlarged', async () => {
    const png = await sharp({ create: { width: 300, height: 300, channels: 4, background: '#00ff00' } }).png().toBuffer();
    const r = await upload(png, 'tiny.png');
    const ready = await eventually(async () => {
      const a = (await app.http.inject({ url: `/admin/media/${r.body.id}`, headers: staff.headers })).json();
      return a.status === 'ready' ? a : null;
    }, 30_000);
    expect(ready.variants.map((v: { name: string; width: number }) => `${v.name}:${v.width}`).sort()).toEqual(['160.avif:160', '160.webp:160']);
  });

  test('type is checked by content: a text file named .jpg is 415, and so is SVG', async () => {
    expectProblem(await upload(Buffer.from('hello, not an image'), 'evil.jpg'), 415, 'unsupported-media-type');
    expectProblem(await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'logo.svg'), 415, 'unsupported-media-type');
  });

  test('an oversized file is 413 and a pixel bomb (small file, huge dimensions) is 422, before decoding', async () => {
    const big = await sharp({ create: { width: 600, height: 600, channels: 3, background: '#123456' } }).png({ compressionLevel: 0 }).toBuffer();
    expect(big.length).toBeGreaterThan(200_000);
    expectProblem(await upload(big, 'big.png'), 413, 'payload-too-large');
    const bomb = await sharp({ create: { width: 4000, height: 4000, channels: 3, background: '#000000' } }).png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(200_000);
    const r = await upload(bomb, 'bomb.png');
    expectProblem(r, 422, 'image-too-large');
    expect(r.body).toMatchObject({ width: 4000, height: 4000, limit: 2_000_000 });
  });

  test('only media:write may upload', async () => {
    const customer = await createActor(app, 'customer');
    const png = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } }).png().toBuffer();
    expect((await upload(png, 'x.png', customer.headers)).status).toBe(403);
  });
});
