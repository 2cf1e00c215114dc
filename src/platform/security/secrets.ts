import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { platformMeta } from '../db/schema.js';

/**
 * A secret generated once and kept in the database, for installations that did not
 * configure one (the embedded demo): the first process to start writes it, every later
 * one (and every replica starting at the same time) reads the same value.
 */
export async function persistedSecret(db: Db, name: string, generate: () => Promise<string> | string): Promise<string> {
  const key = `secret:${name}`;
  const read = async () => {
    const [row] = await db.select().from(platformMeta).where(eq(platformMeta.key, key));
    return (row?.value as { value?: string } | undefined)?.value ?? null;
  };
  const existing = await read();
  if (existing) return existing;
  await db.insert(platformMeta).values({ key, value: { value: await generate() } }).onConflictDoNothing();
  const stored = await read();
  if (!stored) throw new Error(`Could not persist secret ${name}`);
  return stored;
}
