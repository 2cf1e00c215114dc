import { and, asc, count, eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import type { Identity } from './runtime.js';
import { addresses } from './schema.js';

export interface AddressInput {
  label?: string;
  name: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  region?: string;
  country: string;
  phone?: string;
}

const MAX_ADDRESSES = 50;

const view = (a: typeof addresses.$inferSelect) => ({
  id: a.id, label: a.label, name: a.name, line1: a.line1, line2: a.line2, city: a.city, postalCode: a.postalCode, region: a.region, country: a.country, phone: a.phone,
});
export type AddressView = ReturnType<typeof view>;

export async function listAddresses(tx: Tx, userId: string): Promise<AddressView[]> {
  return (await tx.select().from(addresses).where(eq(addresses.userId, userId)).orderBy(asc(addresses.id))).map(view);
}

export async function addAddress(identity: Identity, userId: string, input: AddressInput): Promise<AddressView> {
  return identity.database.transaction(async (tx) => {
    const [held] = await tx.select({ n: count() }).from(addresses).where(eq(addresses.userId, userId));
    if ((held?.n ?? 0) >= MAX_ADDRESSES) throw problem(409, 'address-book-full', `An address book holds at most ${MAX_ADDRESSES} addresses`);
    const [row] = await tx.insert(addresses).values({
      id: newId(), userId, label: input.label ?? null, name: input.name, line1: input.line1, line2: input.line2 ?? null, city: input.city,
      postalCode: input.postalCode, region: input.region ?? null, country: input.country.toUpperCase(), phone: input.phone ?? null,
    }).returning();
    return view(row as typeof addresses.$inferSelect);
  });
}

/** Replaces an address; someone else's address answers exactly like a missing one. */
export async function replaceAddress(identity: Identity, userId: string, id: string, input: AddressInput): Promise<AddressView> {
  const [row] = await identity.database.db.update(addresses).set({
    label: input.label ?? null, name: input.name, line1: input.line1, line2: input.line2 ?? null, city: input.city,
    postalCode: input.postalCode, region: input.region ?? null, country: input.country.toUpperCase(), phone: input.phone ?? null,
  }).where(and(eq(addresses.id, id), eq(addresses.userId, userId))).returning();
  if (!row) throw problem(404, 'not-found', `No address ${id} in your address book`);
  return view(row);
}

/** Someone else's address answers exactly like a missing one, so ids cannot be probed. */
export async function removeAddress(identity: Identity, userId: string, id: string): Promise<void> {
  const removed = await identity.database.db.delete(addresses).where(and(eq(addresses.id, id), eq(addresses.userId, userId))).returning({ id: addresses.id });
  if (removed.length === 0) throw problem(404, 'not-found', `No address ${id} in your address book`);
}
