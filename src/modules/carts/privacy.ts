import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { consumer } from '../../platform/events/consumers.js';
import type { PersonalDataPart } from '../../platform/module.js';
import { customerErased } from '../identity/events.js';
import { carts } from './schema.js';
import { cartLines } from './service.js';

/** The customer's carts with their lines, contact e-mail and addresses. */
export const cartsPersonalData: PersonalDataPart = {
  key: 'carts',
  async export(db: Db, customerId: string) {
    const rows = await db.select().from(carts).where(eq(carts.customerId, customerId)).orderBy(asc(carts.createdAt), asc(carts.id));
    const result = [];
    for (const cart of rows) {
      result.push({
        id: cart.id, status: cart.status, currency: cart.currency, email: cart.email, shippingAddress: cart.shippingAddress, billingAddress: cart.billingAddress,
        notes: cart.notes, orderId: cart.orderId, createdAt: new Date(cart.createdAt).toISOString(), updatedAt: new Date(cart.updatedAt).toISOString(),
        items: (await cartLines(db, cart.id)).map((l) => ({ variantId: l.variantId, productId: l.productId, sku: l.sku, title: l.title, quantity: l.quantity, unitAmount: l.unitAmount })),
      });
    }
    return result;
  },
};

/**
 * Open carts are deleted with their lines: nothing else needs them. A cart in checkout or
 * completed is the key of the exactly-once checkout (a late payment webhook still finds it),
 * so it stays, stripped of its e-mail, addresses and notes; its order keeps its own copy,
 * which the orders module anonymises.
 */
export const eraseCustomerCarts = consumer('carts.erase-customer', customerErased, async (tx, { payload }) => {
  await tx.delete(carts).where(and(eq(carts.customerId, payload.customerId), eq(carts.status, 'open')));
  await tx.update(carts).set({ email: null, shippingAddress: null, billingAddress: null, notes: '', updatedAt: sql`now()` })
    .where(and(eq(carts.customerId, payload.customerId), ne(carts.status, 'open')));
});
