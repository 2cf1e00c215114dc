import type { SeedContext } from '../../platform/seed.js';

/** One generated image per category; filled in by the media module when it is present. */
export async function demoImages(_ctx: SeedContext, _categories: string[]): Promise<Map<string, string>> {
  return new Map();
}
