import Type from 'typebox';
import type { Database } from '../../platform/db/database.js';
import type { HttpServer } from '../../platform/http/server.js';
import { Problem, problem } from '../../platform/http/problem.js';
import { acceptUpload, findMedia, type MediaAsset, type MediaLimits } from './service.js';
import type { MediaStorage } from './storage.js';

const Json = Type.Object({}, { additionalProperties: true });

export function mediaView(asset: MediaAsset) {
  return {
    id: asset.id, status: asset.status, contentType: asset.contentType, width: asset.width, height: asset.height, bytes: asset.bytes,
    placeholder: asset.placeholder, blurhash: asset.blurhash, error: asset.error,
    variants: asset.variants.map((v) => ({ name: v.name, width: v.width, height: v.height, format: v.format, bytes: v.bytes, url: `/media/${asset.id}/${v.name}` })),
  };
}

export function mediaRoutes(http: HttpServer, database: Database, storage: MediaStorage, limits: MediaLimits) {
  const tags = ['media'];
  http.post('/admin/media', {
    config: { permission: 'media:write' },
    schema: { tags, summary: 'Upload an image (multipart/form-data, field "file"); variants are generated in the background', response: { 202: Json } },
  }, async (request, reply) => {
    if (!request.isMultipart()) throw problem(415, 'unsupported-media-type', 'Send the image as multipart/form-data with a "file" field');
    let file;
    try {
      file = await request.file({ limits: { fileSize: limits.maxBytes, files: 1, fields: 5 } });
    } catch (error) {
      throw problem(400, 'bad-request', `The multipart body cannot be read: ${(error as Error).message}`);
    }
    if (!file) throw problem(400, 'bad-request', 'The multipart body has no file; send it in a field named "file"');
    let bytes: Buffer;
    try {
      bytes = await file.toBuffer();
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw problem(413, 'payload-too-large', `The file is larger than the limit of ${limits.maxBytes} bytes`, { limit: limits.maxBytes });
      throw error;
    }
    const asset = await database.transaction((tx) => acceptUpload(tx, storage, bytes, file.filename, limits));
    return reply.status(202).header('location', `/admin/media/${asset.id}`).send(mediaView(asset));
  });

  http.get('/admin/media/:id', { config: { permission: 'media:write' }, schema: { tags, params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 200: Json } } }, async (request) => {
    const asset = await findMedia(database.db, request.params.id);
    if (!asset) throw problem(404, 'media-not-found', `No media ${request.params.id}`);
    return mediaView(asset);
  });

  // Variants never change once written (a new upload gets a new id), so they may be cached for a year.
  http.get('/media/:id/:variant', {
    config: { permission: 'public' },
    schema: { tags, summary: 'A generated image variant, e.g. 480.webp', params: Type.Object({ id: Type.String({ format: 'uuid' }), variant: Type.String({ pattern: '^\\d{2,4}\\.(webp|avif)$' }) }) },
  }, async (request, reply) => {
    const asset = await findMedia(database.db, request.params.id);
    if (!asset) throw problem(404, 'media-not-found', `No media ${request.params.id}`);
    const variant = asset.variants.find((v) => v.name === request.params.variant);
    if (!variant) {
      if (asset.status === 'processing') throw new Problem(404, 'media-not-ready', 'The variants are still being generated; retry shortly', {}, undefined, { 'retry-after': '2' });
      throw problem(404, 'media-variant-not-found', `Media ${asset.id} has no variant ${request.params.variant}; it has ${asset.variants.map((v) => v.name).join(', ') || 'none'}`);
    }
    reply.header('etag', variant.etag).header('cache-control', 'public, max-age=31536000, immutable');
    if (request.headers['if-none-match'] === variant.etag) return reply.status(304).send();
    const bytes = await storage.get(`variants/${asset.id}/${variant.name}`);
    if (!bytes) throw problem(404, 'media-variant-not-found', `The file of ${variant.name} is missing`);
    return reply.type(`image/${variant.format}`).send(bytes);
  });
}
