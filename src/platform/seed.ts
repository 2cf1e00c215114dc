import { eq } from 'drizzle-orm';
import { seededRandom, type Random } from '../intelligence/random.js';
import type { Database } from './db/database.js';
import { platformMeta } from './db/schema.js';
import type { Logger } from './observability/logger.js';
import { progress, type Progress } from './cli/progress.js';

/** A size flag a seeder understands, e.g. `--products 100000`. */
export interface SeedSize {
  default: number;
  description: string;
}

export interface SeedContext {
  database: Database;
  /** Deterministic from `--seed`: the same number gives the same shop. */
  random: Random;
  sizes: Readonly<Record<string, number>>;
  logger: Logger;
  progress(label: string, total: number): Progress;
}

/** Each module plugs its demo data in as a seeder; `after` names seeders whose data it needs. */
export interface Seeder {
  name: string;
  after?: readonly string[];
  sizes?: Readonly<Record<string, SeedSize>>;
  run(ctx: SeedContext): Promise<void>;
}

export class SeedError extends Error {}

/** Seeders in an order where each comes after the ones it names. */
export function orderSeeders(seeders: readonly Seeder[]): Seeder[] {
  const byName = new Map(seeders.map((s) => [s.name, s]));
  const ordered: Seeder[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (s: Seeder, path: string[]) => {
    if (state.get(s.name) === 'done') return;
    if (state.get(s.name) === 'visiting') throw new SeedError(`Seeders depend on each other in a cycle: ${[...path, s.name].join(' → ')}`);
    state.set(s.name, 'visiting');
    for (const name of s.after ?? []) {
      const dependency = byName.get(name);
      if (!dependency) throw new SeedError(`Seeder ${s.name} runs after ${name}, which does not exist`);
      visit(dependency, [...path, s.name]);
    }
    state.set(s.name, 'done');
    ordered.push(s);
  };
  for (const s of seeders) visit(s, []);
  return ordered;
}

/** Every size flag the seeders know, with defaults overridden by what was asked for. */
export function resolveSizes(seeders: readonly Seeder[], requested: Readonly<Record<string, number>>): Record<string, number> {
  const known: Record<string, number> = {};
  for (const s of seeders) for (const [name, size] of Object.entries(s.sizes ?? {})) known[name] = size.default;
  for (const [name, value] of Object.entries(requested)) {
    if (!(name in known)) throw new SeedError(`Unknown size --${name}; known sizes: ${Object.keys(known).map((k) => `--${k}`).join(', ') || 'none'}`);
    if (!Number.isInteger(value) || value < 0) throw new SeedError(`--${name} must be a whole number ≥ 0, got ${value}`);
    known[name] = value;
  }
  return known;
}

const SEEDED_KEY = 'demo-seed';

export async function wasSeeded(database: Database): Promise<boolean> {
  const rows = await database.db.select().from(platformMeta).where(eq(platformMeta.key, SEEDED_KEY));
  return rows.length > 0;
}

export async function runSeeders(
  database: Database,
  seeders: readonly Seeder[],
  options: { seed: number; sizes?: Readonly<Record<string, number>>; logger: Logger; stream?: NodeJS.WriteStream },
): Promise<{ ran: string[] }> {
  const sizes = resolveSizes(seeders, options.sizes ?? {});
  const ordered = orderSeeders(seeders);
  for (const s of ordered) {
    options.logger.info({ seeder: s.name, seed: options.seed }, 'seeding');
    // Each seeder gets its own stream of numbers, so adding a seeder does not change another's data.
    await s.run({
      database,
      random: seededRandom(options.seed ^ hash(s.name)),
      sizes,
      logger: options.logger,
      progress: (label, total) => progress(label, total, options.stream),
    });
  }
  const value = { seed: options.seed, sizes, seeders: ordered.map((s) => s.name), at: new Date().toISOString() };
  await database.db.insert(platformMeta).values({ key: SEEDED_KEY, value })
    .onConflictDoUpdate({ target: platformMeta.key, set: { value, updatedAt: new Date().toISOString() } });
  return { ran: ordered.map((s) => s.name) };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
