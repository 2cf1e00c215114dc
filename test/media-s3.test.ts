import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startTestApp, eventually, type TestApp } from './support/test-app.js';
import { createActor, type TestActor } from './support/actors.js';
import { S3Storage } from '../src/modules/media/storage.js';

// A real S3 API (s3rver, signatures checked) started by the test; the app stores media there by config.
interface S3rverServer { run(): Promise<{ port: number }>; close(): Promise<void> }
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: Record<string, unknown>) => S3rverServer;

const BUCKET = 'cm-media';
const KEY_ID = 'S3RVER';
const SECRET = 'S3RVER';
const dir = mkdtempSync(join(tmpdir(), 'cm-s3rver-'));
const mediaDir = mkdtempSync(join(tmpdir(), 'cm-media-unused-'));
let server: S3rverServer;
let endpoint: string;
let app: TestApp;
let staff: TestActor;
let s3: S3Client;

beforeAll(async () => {
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: BUCKET }] });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  app = await startTestApp({
    env: {
      MEDIA_DIR: mediaDir, MEDIA_S3_BUCKET: BUCKET, MEDIA_S3_ENDPOINT: endpoint, MEDIA_S3_REGION: 'us-east-1',
      MEDIA_S3_ACCESS_KEY_ID: KEY_ID, MEDIA_S3_SECRET_ACCESS_KEY: SECRET, MEDIA_S3_FORCE_PATH_STYLE: 'true',
    },
  });
  staff = await createActor(app, 'staff');
  s3 = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET } });
});
afterAll(async () => {
  await app?.close();
  s3?.destroy();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(mediaDir, { recursive: true, force: true });
});

function multipart(bytes: Buffer, filename: string) {
  const boundary = '----cm-s3-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  return { payload: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('media in an S3-compatible bucket', () => {
  test('the original and its variants go to the bucket (nothing to MEDIA_DIR) and are served from it', async () => {
    const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 20, g: 90, b: 200 } } }).jpeg().toBuffer();
    const body = multipart(photo, 'photo.jpg');
    const r = await app.http.inject({ method: 'POST', url: '/admin/media', payload: body.payload, headers: { ...staff.headers, ...body.headers } });
    expect(r.statusCode, r.body).toBe(202);
    const id = r.json().id as string;
    await eventually(async () => (await app.http.inject({ url: `/admin/media/${id}`, headers: staff.headers })).json().status === 'ready', 30_000);

    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    const keys = (listed.Contents ?? []).map((o) => o.Key).sort();
    expect(keys).toEqual([`originals/${id}`, ...['160.avif', '160.webp', '480.avif', '480.webp'].map((v) => `variants/${id}/${v}`)].sort());
    const original = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `originals/${id}` }));
    expect(Buffer.from(await original.Body!.transformToByteArray()).equals(photo)).toBe(true);

    const served = await app.http.inject({ url: `/media/${id}/480.webp` });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/webp');
    expect(await sharp(served.rawPayload).metadata()).toMatchObject({ format: 'webp', width: 480, height: 360 });
    expect((await app.http.inject({ url: `/media/${id}/1024.webp` })).statusCode).toBe(404);
  });

  test('the storage answers null for a missing key, refuses bad keys, and fails loudly on a bucket that is not there', async () => {
    const storage = new S3Storage({ bucket: BUCKET, region: 'us-east-1', endpoint, accessKeyId: KEY_ID, secretAccessKey: SECRET, forcePathStyle: true });
    try {
      expect(await storage.get('originals/does-not-exist')).toBeNull();
      await storage.put('variants/x/1.webp', Buffer.from('bytes'));
      expect((await storage.get('variants/x/1.webp'))?.toString()).toBe('bytes');
      await expect(storage.put('../etc/passwd', Buffer.from('x'))).rejects.toThrow(/Bad media key/);
    } finally {
      storage.close();
    }
    const wrong = new S3Storage({ bucket: 'no-such-bucket', region: 'us-east-1', endpoint, accessKeyId: KEY_ID, secretAccessKey: SECRET, forcePathStyle: true });
    try {
      await expect(wrong.put('variants/x/2.webp', Buffer.from('x'))).rejects.toThrow(/bucket/i);
      await expect(wrong.get('variants/x/2.webp')).rejects.toThrow(/bucket/i);
    } finally {
      wrong.close();
    }
  });
});
