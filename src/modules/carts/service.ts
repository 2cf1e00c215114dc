import { constantTimeEqual, hashToken, newOpaqueToken } from '../../platform/security/tokens.js';
import { and, asc, eq, ne, sql, type SQL } from 'drizzle-orm';
import type { Database, Db, Tx } from '../../platform/db/database.js';
import { prepared, type Placeholders } from '../../platform/db/prepared.js';
import { inOrderOf, insertRowsReturning, valueForId } from '../../platform/db/set-based.js';
import { batched, firstOfEach } from '../../platform/grouped.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { variantsForCheckout, type CheckoutVariant } from '../catalog/for-checkout.js';
import { availability, type Availability } from '../inventory/stock.js';
import { cartItems, carts, type Address } from './schema.js';
import { moveCartCodes, type PromotionCandidates } from '../promotions/service.js';
import { priceCart, shippingOptionsFor } from './pricing.js';

export type Cart = typeof carts.$inferSelect;
export type CartItem = typeof cartItems.$inferSelect;

/** Most units of one variant a cart may hold (a shop-wide limit; flash sales want it low). */
export const MAX_LINE_QUANTITY = 100;
export const MAX_LINES = 100;

export interface PricingSettings {
  taxRateBps: number;
  taxInclusive: boolean;
  shippingFlatAmount: number;
  freeShippingOver: number;
}

type NewCart = { id: string; tokenHash: string; currency: string; email: string | null };
const insertCart = prepared((db, p: Placeholders<NewCart>) =>
  db.insert(carts).values({ id: p.id, tokenHash: p.tokenHash, currency: p.currency, email: p.email }).returning());

/** Most carts started in one statement. */
const CARTS_PER_INSERT = 100;

/**
 * POST /store/carts for this app: a new cart and its token. The carts started at one moment go
 * in one insert (platform/grouped.ts: batched), one statement where each took its own.
 */
export function cartStarter(database: Database): (input: { currency: string; email?: string }) => Promise<{ cart: Cart; token: string }> {
  const insert = batched(
    async (row: NewCart) => (await insertCart(database.db, row))[0] as Cart,
    async (rows: NewCart[]) => {
      const ids = rows.map((r) => r.id);
      const made = inOrderOf(await insertRowsReturning(database.db, carts, rows), ids);
      if (made.length !== ids.length) throw new Error('cartStarter: a cart inserted was not returned');
      return made;
    },
    { maxSize: CARTS_PER_INSERT },
  );
  return async (input) => {
    const token = `ct_${newOpaqueToken(24)}`;
    return { cart: await insert({ id: newId(), tokenHash: hashToken(token), currency: input.currency, email: input.email ?? null }), token };
  };
}

/**
 * The cart token is the guest's key to the cart (a capability, like a session cookie): without
 * it nobody, including another customer, reads or changes the cart. `lock` holds its row until
 * the transaction ends; `touch` does too, by moving its updated_at, for an edit of its lines
 * (which moves it anyway): one statement, not a locked read and then an update.
 */
export async function cartForToken(db: Db, id: string, token: string | undefined, access: 'read' | 'lock' | 'touch' = 'read'): Promise<Cart> {
  const cart = access === 'touch' ? ((await touchCart(db, { id }))[0] ?? null) : await cartById(db, id, access === 'lock');
  return tokenChecked(cart, id, token);
}

const holdsToken = (cart: Cart, token: string | undefined): boolean => token !== undefined && constantTimeEqual(hashToken(token), cart.tokenHash);

function tokenChecked(cart: Cart | null, id: string, token: string | undefined): Cart {
  if (!cart) throw problem(404, 'cart-not-found', `No cart ${id}`, { cartId: id });
  if (!holdsToken(cart, token)) {
    throw problem(403, 'cart-forbidden', 'This cart belongs to someone else: send its X-Cart-Token', { cartId: id });
  }
  return cart;
}

const selectCart = prepared((db, p: Placeholders<{ id: string }>) => db.select().from(carts).where(eq(carts.id, p.id)));
const lockCart = prepared((db, p: Placeholders<{ id: string }>) => db.select().from(carts).where(eq(carts.id, p.id)).for('update'));

// FOR SHARE queues behind a transaction that holds the row to move it and then reads the row as
// that transaction left it; outside a transaction it holds nothing once the statement ends.
const settledCart = prepared((db, p: Placeholders<{ id: string }>) => db.select().from(carts).where(eq(carts.id, p.id)).for('share'));

/**
 * The cart once no move of it is under way (a completion placing its order, say), read outside
 * any transaction: one statement that waits out the mover instead of racing it. Null when there
 * is no such cart.
 */
export async function cartOnceSettled(db: Db, id: string): Promise<Cart | null> {
  const [cart] = await settledCart(db, { id });
  return cart ?? null;
}

/** The cart, or null; with `lock`, its row is locked until the transaction ends. */
export async function cartById(db: Db, id: string, lock = false): Promise<Cart | null> {
  const [cart] = await (lock ? lockCart : selectCart)(db, { id });
  return cart ?? null;
}

// In id order (the index's), so two groups locking carts they share cannot deadlock. NO KEY UPDATE
// is what an update of the row (touchCart) takes: it still lets a line be inserted for the cart.
const lockCarts = prepared((db, p: Placeholders<{ ids: string[] }>) =>
  db.select().from(carts).where(sql`${carts.id} = any(${p.ids})`).orderBy(asc(carts.id)).for('no key update'));

/**
 * For edits of many carts in one transaction: the requests whose cart is open and whose token
 * they hold, each cart locked until the transaction ends, with its position among the requests.
 * Only a cart's first request is taken. A request left out (its cart missing, not the caller's
 * or not open, or asked for twice) is for the one-cart path (cartForToken, assertOpen), which
 * says which.
 */
export async function openCartsOf<R extends { cartId: string; token: string | undefined }>(tx: Tx, requests: readonly R[]): Promise<{ request: R; at: number; cart: Cart }[]> {
  const first = firstOfEach(requests, (r) => r.cartId);
  const rows = await lockCarts(tx, { ids: [...first].map((r) => r.cartId) });
  const open = new Map(rows.filter((c) => c.status === 'open').map((c) => [c.id, c]));
  return requests.flatMap((request, at) => {
    const cart = open.get(request.cartId);
    return cart && first.has(request) && holdsToken(cart, request.token) ? [{ request, at, cart }] : [];
  });
}

const touchCarts = prepared((db, p: Placeholders<{ ids: string[] }>) => db.update(carts).set({ updatedAt: sql`now()` }).where(sql`${carts.id} = any(${p.ids})`));

/** Their lines' edit moves the carts' updated_at, as touchCart does for one. */
export async function cartsTouched(tx: Tx, ids: readonly string[]): Promise<void> {
  await touchCarts(tx, { ids: [...ids] });
}

/*
 * Checkout's moves of the cart (the orders module runs checkout; the cart's rows stay here).
 * A checkout opens with its id and e-mail; it ends with an order, or the cart opens again.
 */
const openCheckout = prepared((db, p: Placeholders<{ id: string; checkoutId: string; email: string | null }>) =>
  db.update(carts).set({ status: 'checking_out', checkoutId: sql`${p.checkoutId}`, email: sql`coalesce(${p.email}, ${carts.email})`, updatedAt: sql`now()` })
    .where(and(eq(carts.id, p.id), eq(carts.status, 'open'))).returning());

/**
 * A checkout opens on the cart, for the holder of its token: an open cart moves to checking_out,
 * with the checkout's id and the e-mail given (else its own), in the statement that locks it,
 * and comes back as it is now. A cart in any other state comes back as it is, unchanged. The
 * caller's transaction takes the move back if the checkout cannot open.
 */
export async function cartCheckingOut(tx: Tx, id: string, token: string | undefined, checkout: { checkoutId: string; email: string | null }): Promise<Cart> {
  const [moved] = await openCheckout(tx, { id, ...checkout });
  return tokenChecked(moved ?? (await cartById(tx, id)), id, token);
}

const openAllCheckouts = prepared((db, p: Placeholders<{ ids: string[]; checkoutIds: string[]; emails: (string | null)[] }>) => db.update(carts).set({
  status: 'checking_out', checkoutId: valueForId(p.ids, p.checkoutIds, carts.id, 'uuid'),
  email: sql`coalesce(${valueForId(p.ids, p.emails, carts.id, 'text')}, ${carts.email})`, updatedAt: sql`now()`,
}).where(and(sql`${carts.id} = any(${p.ids})`, eq(carts.status, 'open'))).returning({ id: carts.id }));

/**
 * cartCheckingOut() for open carts this transaction has locked (openCartsOf), in one
 * statement; the number of carts moved (all of them, unless one was not open after all).
 */
export async function cartsCheckingOut(tx: Tx, list: readonly { id: string; checkoutId: string; email: string | null }[]): Promise<number> {
  const moved = await openAllCheckouts(tx, { ids: list.map((c) => c.id), checkoutIds: list.map((c) => c.checkoutId), emails: list.map((c) => c.email) });
  return moved.length;
}

// One statement whichever way it goes: the loser of a completion race (the shopper's return or
// the webhook, whichever came second) learns the order from the row it locked, without reading it again.
const completedIf = (inCheckout: SQL, orderId: SQL) => ({
  status: sql`case when ${inCheckout} then 'completed' else ${carts.status} end`,
  orderId: sql`case when ${inCheckout} then ${orderId} else ${carts.orderId} end`,
  updatedAt: sql`case when ${inCheckout} then now() else ${carts.updatedAt} end`,
});
const completeCheckingOut = prepared((db, p: Placeholders<{ id: string; checkoutId: string; orderId: string }>) => db.update(carts)
  .set(completedIf(sql`(${carts.status} = 'checking_out' and ${carts.checkoutId} = ${p.checkoutId})`, sql`${p.orderId}::uuid`)).where(eq(carts.id, p.id)).returning());

/**
 * The cart becomes its checkout's order's, in the statement that locks it. `moved` says whether
 * it did; when not (it is no longer in that checkout) the cart comes back as it is, its order
 * the one another completion placed, if any. Null when there is no such cart. A caller that
 * then fails rolls the move back with its transaction.
 */
export async function cartCompletedBy(tx: Tx, id: string, checkoutId: string, orderId: string): Promise<{ cart: Cart; moved: boolean } | null> {
  const [cart] = await completeCheckingOut(tx, { id, checkoutId, orderId });
  return cart ? { cart, moved: cart.orderId === orderId } : null;
}

// completeCheckingOut for a group of checkouts, `= any(…)`: each cart moves only while it is still in its own.
const completeAllCheckingOut = prepared((db, p: Placeholders<{ ids: string[]; checkoutIds: string[]; orderIds: string[] }>) => db.update(carts)
  .set(completedIf(sql`(${carts.status} = 'checking_out' and ${carts.checkoutId} = ${valueForId(p.ids, p.checkoutIds, carts.id, 'uuid')})`, valueForId(p.ids, p.orderIds, carts.id, 'uuid')))
  .where(sql`${carts.id} = any(${p.ids})`).returning());

/** cartCompletedBy() for a group of checkouts at once, by cart id; a cart that does not exist is left out. */
export async function cartsCompletedBy(tx: Tx, list: readonly { id: string; checkoutId: string; orderId: string }[]): Promise<Map<string, { cart: Cart; moved: boolean }>> {
  const orderOf = new Map(list.map((c) => [c.id, c.orderId]));
  const rows = await completeAllCheckingOut(tx, { ids: list.map((c) => c.id), checkoutIds: list.map((c) => c.checkoutId), orderIds: list.map((c) => c.orderId) });
  return new Map(rows.map((cart) => [cart.id, { cart, moved: cart.orderId === orderOf.get(cart.id) }]));
}

export async function cartReopened(tx: Tx, id: string): Promise<void> {
  await tx.update(carts).set({ status: 'open', checkoutId: null, updatedAt: sql`now()` }).where(eq(carts.id, id));
}

/** The cart a checkout is for, its row locked until the transaction ends. */
export async function lockCartOfCheckout(tx: Tx, checkoutId: string): Promise<Cart | null> {
  const [cart] = await tx.select().from(carts).where(eq(carts.checkoutId, checkoutId)).for('update');
  return cart ?? null;
}

export function assertOpen(cart: Cart): void {
  if (cart.status !== 'open') throw problem(409, 'cart-not-open', `The cart is ${cart.status.replace('_', ' ')} and cannot change`, { cartId: cart.id, status: cart.status });
}

const insertLine = prepared((db, p: Placeholders<Omit<CartItem, 'createdAt'>>) => db.insert(cartItems).values({
  id: p.id, cartId: p.cartId, variantId: p.variantId, productId: p.productId, sku: p.sku, title: p.title, quantity: p.quantity, unitAmount: p.unitAmount,
}).returning());

/*
 * Line edits run on a cart read with cartForToken(…, 'touch'): that read moved its updated_at
 * and holds its row, so a checkout of the same cart cannot run meanwhile.
 */

/** Adds units of a variant (to its line, if it has one); returns the cart's lines after it, for the view. */
export async function addItem(tx: Tx, cart: Cart, input: { variantId: string; quantity: number }): Promise<CartItem[]> {
  assertOpen(cart);
  const lines = await cartLines(tx, cart.id);
  const quantity = quantityAfter(lines, input);
  const change = additionTo(cart, lines, quantity, await sellable(tx, cart, input.variantId, quantity));
  return linesAfter(lines, change, await writeAdditions(tx, [change]));
}

/** The variant's quantity in the cart once the units are added to its line (if it has one). */
export const quantityAfter = (lines: readonly CartItem[], input: { variantId: string; quantity: number }): number =>
  (lines.find((l) => l.variantId === input.variantId)?.quantity ?? 0) + input.quantity;

/** An addition to a cart's lines: a line's new quantity and price, or a new line. */
export type LineChange = { line: CartItem; quantity: number; unitAmount: number } | { added: Omit<CartItem, 'createdAt'> };

/** What adding the variant does to the cart's lines, once it is known sellable at its new quantity (sellableNow). */
export function additionTo(cart: Cart, lines: readonly CartItem[], quantity: number, variant: ReturnType<typeof sellableNow>): LineChange {
  const line = lines.find((l) => l.variantId === variant.variantId);
  if (line) return { line, quantity, unitAmount: variant.amount };
  if (lines.length >= MAX_LINES) throw problem(422, 'cart-full', `A cart holds at most ${MAX_LINES} lines`, { limit: MAX_LINES });
  return { added: { id: newId(), cartId: cart.id, variantId: variant.variantId, productId: variant.productId, sku: variant.sku, title: variant.title, quantity, unitAmount: variant.amount } };
}

/** Writes the additions (one per cart); returns the new lines as stored. */
export async function writeAdditions(tx: Tx, changes: readonly LineChange[]): Promise<CartItem[]> {
  for (const c of changes) {
    if ('line' in c) await tx.update(cartItems).set({ quantity: c.quantity, unitAmount: c.unitAmount }).where(eq(cartItems.id, c.line.id));
  }
  const rows = changes.flatMap((c) => ('added' in c ? [c.added] : []));
  if (rows.length === 0) return [];
  return rows.length === 1 ? insertLine(tx, rows[0] as Omit<CartItem, 'createdAt'>) : insertRowsReturning(tx, cartItems, rows);
}

/** The cart's lines after the change was written (`inserted`: what writeAdditions returned). */
export function linesAfter(lines: CartItem[], change: LineChange, inserted: readonly CartItem[]): CartItem[] {
  if ('line' in change) {
    Object.assign(change.line, { quantity: change.quantity, unitAmount: change.unitAmount });
    return lines;
  }
  const added = inserted.find((r) => r.id === change.added.id);
  return added ? [...lines, added] : lines;
}

export async function setItemQuantity(tx: Tx, cart: Cart, itemId: string, quantity: number): Promise<void> {
  assertOpen(cart);
  const [item] = await tx.select().from(cartItems).where(and(eq(cartItems.id, itemId), eq(cartItems.cartId, cart.id)));
  if (!item) throw problem(404, 'cart-item-not-found', `No item ${itemId} in this cart`, { itemId });
  const variant = await sellable(tx, cart, item.variantId, quantity);
  await tx.update(cartItems).set({ quantity, unitAmount: variant.amount }).where(eq(cartItems.id, itemId));
}

export async function removeItem(tx: Tx, cart: Cart, itemId: string): Promise<void> {
  assertOpen(cart);
  const removed = await tx.delete(cartItems).where(and(eq(cartItems.id, itemId), eq(cartItems.cartId, cart.id))).returning({ id: cartItems.id });
  if (removed.length === 0) throw problem(404, 'cart-item-not-found', `No item ${itemId} in this cart`, { itemId });
}

export async function updateDetails(tx: Tx, cart: Cart, patch: { email?: string; shippingAddress?: Address; billingAddress?: Address; notes?: string }): Promise<void> {
  assertOpen(cart);
  await tx.update(carts).set({ ...patch, updatedAt: sql`now()` }).where(eq(carts.id, cart.id));
}

/**
 * A signed-in customer takes the cart (merge on login): their other open cart's lines are
 * folded into this one (quantities add, capped at the line limit) and that cart is closed.
 */
export async function claimCart(tx: Tx, cart: Cart, customerId: string): Promise<void> {
  if (cart.customerId && cart.customerId !== customerId) throw problem(403, 'cart-forbidden', 'This cart belongs to another customer', { cartId: cart.id });
  assertOpen(cart);
  const others = await tx.select().from(carts)
    .where(and(eq(carts.customerId, customerId), eq(carts.status, 'open'), eq(carts.currency, cart.currency), ne(carts.id, cart.id))).for('update');
  for (const other of others) {
    for (const line of await tx.select().from(cartItems).where(eq(cartItems.cartId, other.id))) {
      await tx.insert(cartItems).values({ ...line, id: newId(), cartId: cart.id })
        .onConflictDoUpdate({ target: [cartItems.cartId, cartItems.variantId], set: { quantity: sql`least(${cartItems.quantity} + ${line.quantity}, ${MAX_LINE_QUANTITY})` } });
    }
    await moveCartCodes(tx, other.id, cart.id);
    await tx.delete(carts).where(eq(carts.id, other.id));
  }
  await tx.update(carts).set({ customerId, updatedAt: sql`now()` }).where(eq(carts.id, cart.id));
}

async function sellable(db: Db, cart: Cart, variantId: string, quantity: number) {
  if (quantity > MAX_LINE_QUANTITY) throw quantityLimit(variantId, quantity);
  const variant = (await variantsForCheckout(db, [variantId], { currency: cart.currency })).get(variantId);
  return sellableNow(cart, variantId, quantity, variant, variant?.published && variant.price ? (await availability(db, [variantId])).get(variantId) : undefined);
}

const quantityLimit = (variantId: string, quantity: number) =>
  problem(422, 'quantity-limit', `At most ${MAX_LINE_QUANTITY} of one item per cart`, { variantId, limit: MAX_LINE_QUANTITY, requested: quantity });

/** Whether `quantity` of the variant may be in the cart, from what was read of it; the price it sells at, or the precise refusal. */
export function sellableNow(cart: Cart, variantId: string, quantity: number, variant: CheckoutVariant | undefined, stock: Availability | undefined) {
  if (quantity > MAX_LINE_QUANTITY) throw quantityLimit(variantId, quantity);
  if (!variant) throw problem(404, 'unknown-variant', `No variant ${variantId}`, { variantId });
  if (!variant.published) throw problem(422, 'variant-unavailable', `${variant.sku} is not for sale`, { variantId, sku: variant.sku });
  if (!variant.price) throw problem(422, 'currency-mismatch', `${variant.sku} has no price in ${cart.currency}, the cart's currency`, { variantId, currency: cart.currency });
  if (!stock || (!stock.backorder && stock.available < quantity)) {
    const available = Math.max(0, stock?.available ?? 0);
    throw problem(409, 'out-of-stock', available > 0 ? `Only ${available} left of ${variant.sku}` : `${variant.sku} is out of stock`, { variantId, available, requested: quantity });
  }
  return { ...variant, amount: variant.price.amount };
}

const touchCart = prepared((db, p: Placeholders<{ id: string }>) => db.update(carts).set({ updatedAt: sql`now()` }).where(eq(carts.id, p.id)).returning());

const selectLines = prepared((db, p: Placeholders<{ cartId: string }>) =>
  db.select().from(cartItems).where(eq(cartItems.cartId, p.cartId)).orderBy(asc(cartItems.createdAt), asc(cartItems.id)));

export async function cartLines(db: Db, cartId: string): Promise<CartItem[]> {
  return selectLines(db, { cartId });
}

const selectLinesOfCarts = prepared((db, p: Placeholders<{ cartIds: string[] }>) =>
  db.select().from(cartItems).where(sql`${cartItems.cartId} = any(${p.cartIds})`).orderBy(asc(cartItems.createdAt), asc(cartItems.id)));

/** cartLines() of many carts in one read, by cart id (a cart with none gets an empty list). */
export async function linesOfCarts(db: Db, cartIds: readonly string[]): Promise<Map<string, CartItem[]>> {
  const out = new Map(cartIds.map((id) => [id, [] as CartItem[]]));
  for (const line of await selectLinesOfCarts(db, { cartIds: [...cartIds] })) out.get(line.cartId)?.push(line);
  return out;
}

/** A cart with its lines (read unless `known`), promotions (from `candidates` when read already), shipping choice and totals, as the shopper sees it. */
export async function cartView(db: Db, cart: Cart, pricing: PricingSettings, known?: CartItem[], candidates?: PromotionCandidates) {
  const lines = known ?? (await cartLines(db, cart.id));
  const priced = await priceCart(db, cart, lines, pricing, { candidates });
  const { totals } = priced;
  const byPromotion = new Map(totals.promotions.map((p) => [p.id, p.amount]));
  return {
    id: cart.id, status: cart.status, currency: cart.currency, customerId: cart.customerId, email: cart.email,
    shippingAddress: cart.shippingAddress, billingAddress: cart.billingAddress, notes: cart.notes, orderId: cart.orderId,
    items: lines.map((l, i) => ({
      id: l.id, variantId: l.variantId, productId: l.productId, sku: l.sku, title: l.title, quantity: l.quantity, unitAmount: l.unitAmount,
      discount: totals.lines[i]?.discount ?? 0, tax: totals.lines[i]?.tax ?? 0, total: totals.lines[i]?.total ?? 0,
    })),
    promotions: priced.promotions.applied.map((p) => ({ ...p, amount: byPromotion.get(p.id) ?? 0 })),
    rejectedPromotions: priced.promotions.rejected,
    region: priced.region ? { code: priced.region.region.code, taxRateBps: priced.region.taxRateBps, taxInclusive: priced.region.region.taxInclusive } : null,
    shippingOptionId: priced.shippingOptionId, shippingRequired: priced.shippingRequired,
    totals: { subtotal: totals.subtotal, discount: totals.discount, shipping: totals.shipping, tax: totals.tax, total: totals.total, taxInclusive: totals.taxInclusive },
  };
}

/** Chooses one of the options the cart's address and currency offer (GET …/shipping-options lists them). */
export async function chooseShippingOption(tx: Tx, cart: Cart, optionId: string, pricing: PricingSettings): Promise<void> {
  assertOpen(cart);
  const offered = await shippingOptionsFor(tx, cart, await cartLines(tx, cart.id), pricing);
  if (!offered.some((o) => o.id === optionId)) {
    throw problem(422, 'shipping-option-unavailable', `Shipping option ${optionId} is not offered for this cart's address, currency or weight`, { shippingOptionId: optionId, offered: offered.map((o) => o.id) });
  }
  await tx.update(carts).set({ shippingOptionId: optionId, updatedAt: sql`now()` }).where(eq(carts.id, cart.id));
}
