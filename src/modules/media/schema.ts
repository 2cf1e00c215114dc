import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export interface MediaVariant {
  /** e.g. `480.webp` — the path segment GET /media/{id}/{variant} answers to. */
  name: string;
  width: number;
  height: number;
  format: 'webp' | 'avif';
  bytes: number;
  etag: string;
}

export const mediaAssets = pgTable('media_assets', {
  id: uuid('id').primaryKey(),
  filename: text('filename').notNull().default(''),
  /** Detected from the bytes, never taken from the client. */
  contentType: text('content_type').notNull(),
  bytes: integer('bytes').notNull(),
  width: integer('width').notNull(),
  height: integer('height').notNull(),
  sha256: text('sha256').notNull(),
  status: text('status', { enum: ['processing', 'ready', 'failed'] }).notNull().default('processing'),
  /** Dominant colour as #rrggbb, shown while the image loads. */
  placeholder: text('placeholder'),
  /** BlurHash (4×3 components) of the image, a blurred preview a client can paint before the image loads. */
  blurhash: text('blurhash'),
  variants: jsonb('variants').$type<MediaVariant[]>().notNull().default([]),
  error: text('error'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
});
