import { randomBytes } from 'node:crypto';
import type { Random } from '../../intelligence/random.js';
import type { SeedContext } from '../../platform/seed.js';
import type { Address } from '../carts/schema.js';
import { createStaffUser } from '../identity/accounts.js';

/** Who places the demo orders: demo customer accounts (made through identity) and guests. */
const FIRST = ['Ada', 'Ben', 'Chloé', 'Dev', 'Emma', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kira', 'Luca', 'Maya', 'Noah', 'Olga', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Tess'];
const LAST = ['Adler', 'Baptiste', 'Chen', 'Dubois', 'Evans', 'Fischer', 'García', 'Haddad', 'Ito', 'Jansen', 'Kowalski', 'Larsen', 'Moreau', 'Novak', 'Okafor', 'Patel'];
/** Where the demo customers and guests live. */
export const DEMO_ADDRESSES: readonly Address[] = [
  { name: '', line1: '12 Market St', city: 'Portland', postalCode: '97201', region: 'OR', country: 'US' },
  { name: '', line1: '48 Elm Ave', city: 'Austin', postalCode: '73301', region: 'TX', country: 'US' },
  { name: '', line1: '7 Harbour Rd', city: 'Boston', postalCode: '02110', region: 'MA', country: 'US' },
  { name: '', line1: '301 Pine St', city: 'Seattle', postalCode: '98101', region: 'WA', country: 'US' },
  { name: '', line1: '9 Lake Shore Dr', city: 'Chicago', postalCode: '60601', region: 'IL', country: 'US' },
];

export interface Customer { id: string | null; email: string; name: string; address: Address }

export async function demoCustomers(ctx: SeedContext, n: number): Promise<Customer[]> {
  const out: Customer[] = [];
  const bar = ctx.progress('demo customers', n);
  for (let i = 0; i < n; i += 4) {
    // A few at a time: argon2 hashing runs on the thread pool, so small batches overlap.
    const made = await Promise.all(Array.from({ length: Math.min(4, n - i) }, async (_, j) => {
      const k = i + j;
      const name = `${FIRST[k % FIRST.length]} ${LAST[Math.floor(k / FIRST.length) % LAST.length]}`;
      const email = `shopper${k + 1}@demo.cloudmart.local`;
      const address = { ...(DEMO_ADDRESSES[ctx.random.int(DEMO_ADDRESSES.length)] as Address), name };
      try {
        const user = await createStaffUser(ctx.database, null, { email, name, role: 'customer', password: `Demo-${randomBytes(12).toString('base64url')}-7!` });
        return { id: user.id, email, name, address };
      } catch {
        return null; // already there from an earlier seed: leave that account alone
      }
    }));
    for (const c of made) if (c) out.push(c);
    bar.tick(made.length);
  }
  bar.done();
  return out;
}

export function guest(random: Random, i: number): Customer {
  const name = `${FIRST[random.int(FIRST.length)]} ${LAST[random.int(LAST.length)]}`;
  return { id: null, email: `guest${i + 1}@example.com`, name, address: { ...(DEMO_ADDRESSES[random.int(DEMO_ADDRESSES.length)] as Address), name } };
}
