import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { encode } from 'blurhash';
import { eq } from 'drizzle-orm';
import type { Database, Db, Tx } from '../../platform/db/database.js';
import { publish } from '../../platform/events/outbox.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { detectImageType } from './detect.js';
import { mediaReady, mediaUploaded } from './events.js';
import { mediaAssets, type MediaVariant } from './schema.js';
import type { MediaStorage } from './storage.js';

export const VARIANT_WIDTHS = [160, 480, 1024] as const;
export const FORMATS = ['webp', 'avif'] as const;

export interface MediaLimits {
  maxBytes: number;
  maxPixels: number;
}

export type MediaAsset = typeof mediaAssets.$inferSelect;

/**
 * Checks an upload and keeps the original: type from the magic bytes, size, and pixel count
 * read from the header before anything is decoded (a 50,000 × 50,000 PNG of a few KB is
 * refused here, not after it has taken the memory). Variants come later, from the
 * media.uploaded consumer.
 */
export async function acceptUpload(tx: Tx, storage: MediaStorage, bytes: Buffer, filename: string, limits: MediaLimits): Promise<MediaAsset> {
  if (bytes.length === 0) throw problem(422, 'empty-upload', 'The uploaded file is empty');
  if (bytes.length > limits.maxBytes) throw problem(413, 'payload-too-large', `The file is ${bytes.length} bytes; the limit is ${limits.maxBytes}`, { limit: limits.maxBytes });
  const contentType = detectImageType(bytes);
  if (!contentType) throw problem(415, 'unsupported-media-type', 'The file is not a JPEG, PNG, GIF, WebP or AVIF image (checked by its content, not its name)');
  let width = 0;
  let height = 0;
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    width = meta.autoOrient?.width ?? meta.width ?? 0;
    height = meta.autoOrient?.height ?? meta.height ?? 0;
  } catch {
    throw problem(422, 'invalid-image', 'The image header cannot be read; the file is damaged or not really an image');
  }
  if (width * height > limits.maxPixels) {
    throw problem(422, 'image-too-large', `The image is ${width} × ${height} = ${width * height} pixels; the limit is ${limits.maxPixels}`, { width, height, limit: limits.maxPixels });
  }
  const id = newId();
  await storage.put(`originals/${id}`, bytes);
  const [row] = await tx.insert(mediaAssets).values({
    id, filename: filename.slice(0, 255), contentType, bytes: bytes.length, width, height, sha256: createHash('sha256').update(bytes).digest('hex'),
  }).returning();
  await publish(tx, mediaUploaded.create(id, { mediaId: id, contentType, width, height }));
  return row as MediaAsset;
}

/**
 * Responsive variants: each width up to the original's (never enlarged), WebP and AVIF,
 * auto-rotated by EXIF orientation and then stripped of all metadata (sharp drops it unless
 * asked to keep it), plus the dominant colour and a BlurHash as placeholders.
 */
export async function generateVariants(database: Database, storage: MediaStorage, id: string, maxPixels: number): Promise<MediaAsset> {
  const [asset] = await database.db.select().from(mediaAssets).where(eq(mediaAssets.id, id));
  if (!asset) throw new Error(`No media ${id}`);
  if (asset.status === 'ready') return asset;
  const original = await storage.get(`originals/${id}`);
  if (!original) throw new Error(`Original of media ${id} is missing`);
  const variants: MediaVariant[] = [];
  const widths = VARIANT_WIDTHS.filter((w, i) => w <= asset.width || i === 0);
  for (const width of widths) {
    for (const format of FORMATS) {
      const pipeline = sharp(original, { limitInputPixels: maxPixels }).rotate().resize({ width, withoutEnlargement: true });
      // AVIF encoding is the slow part on 2 cores: effort 2 is ~5x faster than the default at a small size cost.
      const { data, info } = await (format === 'webp' ? pipeline.webp({ quality: 80 }) : pipeline.avif({ quality: 55, effort: 2 })).toBuffer({ resolveWithObject: true });
      const name = `${width}.${format}`;
      await storage.put(`variants/${id}/${name}`, data);
      variants.push({ name, width: info.width, height: info.height, format, bytes: data.length, etag: `"${createHash('sha256').update(data).digest('base64url').slice(0, 22)}"` });
    }
  }
  const { dominant } = await sharp(original, { limitInputPixels: maxPixels }).stats();
  const placeholder = `#${[dominant.r, dominant.g, dominant.b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  const small = await sharp(original, { limitInputPixels: maxPixels }).rotate().resize(32, 32, { fit: 'inside' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const blurhash = encode(new Uint8ClampedArray(small.data), small.info.width, small.info.height, 4, 3);
  return database.transaction(async (tx) => {
    const [row] = await tx.update(mediaAssets).set({ status: 'ready', variants, placeholder, blurhash, updatedAt: new Date().toISOString() }).where(eq(mediaAssets.id, id)).returning();
    await publish(tx, mediaReady.create(id, { mediaId: id, variants: variants.map((v) => v.name), placeholder }));
    return row as MediaAsset;
  });
}

export async function markFailed(db: Db, id: string, error: string): Promise<void> {
  await db.update(mediaAssets).set({ status: 'failed', error: error.slice(0, 1000), updatedAt: new Date().toISOString() }).where(eq(mediaAssets.id, id));
}

export async function findMedia(db: Db, id: string): Promise<MediaAsset | null> {
  const [row] = await db.select().from(mediaAssets).where(eq(mediaAssets.id, id));
  return row ?? null;
}
