import sharp from 'sharp';
import { loadConfig } from '../../config.js';
import type { SeedContext } from '../../platform/seed.js';
import { acceptUpload, generateVariants } from '../media/service.js';
import { mediaStorage } from '../media/storage.js';
import { handleize } from './html.js';

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * One generated product image per category: an SVG (a colour per category, a shape, the
 * name) rasterised by sharp and stored through the media module, variants included, so
 * the demo shop has real images. Uses the seeding process's MEDIA_DIR, as the server does.
 */
export async function demoImages(ctx: SeedContext, categories: string[]): Promise<Map<string, string>> {
  const config = loadConfig(process.env);
  const storage = mediaStorage(config.mediaS3, config.mediaDir);
  const limits = { maxBytes: config.mediaMaxBytes, maxPixels: config.mediaMaxPixels };
  const out = new Map<string, string>();
  for (const [i, name] of categories.entries()) {
    const hue = Math.round((i * 360) / categories.length);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="640"><rect width="640" height="640" fill="hsl(${hue},55%,70%)"/>`
      + `<circle cx="320" cy="270" r="160" fill="hsl(${hue},60%,38%)"/><rect x="200" y="460" width="240" height="24" rx="12" fill="hsl(${hue},40%,30%)"/>`
      + `<text x="320" y="580" font-family="sans-serif" font-size="48" text-anchor="middle" fill="#ffffff">${escapeXml(name)}</text></svg>`;
    const png = await sharp(Buffer.from(svg)).png().toBuffer();
    const asset = await ctx.database.transaction((tx) => acceptUpload(tx, storage, png, `${handleize(name)}.png`, limits));
    await generateVariants(ctx.database, storage, asset.id, limits.maxPixels);
    out.set(name, asset.id);
  }
  return out;
}
