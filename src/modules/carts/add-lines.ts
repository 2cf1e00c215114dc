import type { Database, Tx } from '../../platform/db/database.js';
import { grouped } from '../../platform/grouped.js';
import { Problem } from '../../platform/http/problem.js';
import { variantsForCheckout, type CheckoutVariant } from '../catalog/for-checkout.js';
import { availability } from '../inventory/stock.js';
import { promotionsForCarts } from '../promotions/service.js';
import {
  addItem, additionTo, cartForToken, cartsTouched, cartView, linesAfter, linesOfCarts, openCartsLocked, quantityAfter, sellableNow, writeAdditions,
  type Cart, type CartItem, type LineChange, type PricingSettings,
} from './service.js';

/** POST /store/carts/{id}/items, as the route hands it over. */
export interface LineAddition {
  cartId: string;
  token: string | undefined;
  variantId: string;
  quantity: number;
}

export type CartView = Awaited<ReturnType<typeof cartView>>;

/** Most additions in one transaction. */
const GROUP_MAX = 50;

/**
 * Adds lines to carts together with the other additions asked for at the same moment (group
 * commit, platform/grouped.ts): one transaction and one statement per step for the group, where
 * each addition took a transaction of eight statements. An addition the group cannot take in the
 * plain way (a cart missing, not the caller's or not open, a second one to the same cart) runs on
 * its own after the group, as every addition did before, and so does every one of a group whose
 * transaction failed. A refusal (out of stock, say) is that addition's answer alone.
 */
export function lineAdder(database: Database, pricing: PricingSettings): (addition: LineAddition) => Promise<CartView> {
  const alone = (a: LineAddition) => database.transaction(async (tx) => {
    const cart = await cartForToken(tx, a.cartId, a.token, 'touch');
    return cartView(tx, cart, pricing, await addItem(tx, cart, a));
  });
  return grouped(async (group: LineAddition[]) => {
    const answers = group.length > 1 ? await database.transaction((tx) => addAll(tx, group, pricing)).catch(() => []) : [];
    return Promise.all(group.map((a, i) => answers[i] ?? settledOf(alone(a))));
  }, { maxSize: GROUP_MAX });
}

const settledOf = <T>(work: Promise<T>): Promise<PromiseSettledResult<T>> =>
  work.then((value) => ({ status: 'fulfilled', value }), (reason: unknown) => ({ status: 'rejected', reason }));

/** The group's answers, by position; none where an addition is to run on its own. */
async function addAll(tx: Tx, group: readonly LineAddition[], pricing: PricingSettings): Promise<(PromiseSettledResult<CartView> | undefined)[]> {
  const answers: (PromiseSettledResult<CartView> | undefined)[] = [];
  const firstOfCart = group.filter((a, i) => group.findIndex((b) => b.cartId === a.cartId) === i);
  const open = await openCartsLocked(tx, firstOfCart.map((a) => ({ id: a.cartId, token: a.token })));
  const taking = group.flatMap((a, at) => {
    const cart = open.get(a.cartId);
    return cart && firstOfCart.includes(a) ? [{ a, at, cart }] : [];
  });
  if (taking.length === 0) return answers;
  const lines = await linesOfCarts(tx, taking.map((t) => t.cart.id));
  const variants = await variantsByCurrency(tx, taking.map((t) => t.cart), taking.map((t) => t.a.variantId));
  const stock = await availability(tx, [...new Set(taking.map((t) => t.a.variantId))]);
  const adding: { at: number; cart: Cart; lines: CartItem[]; change: LineChange }[] = [];
  for (const { a, at, cart } of taking) {
    const cartLines = lines.get(cart.id) ?? [];
    try {
      const quantity = quantityAfter(cartLines, a);
      const sellable = sellableNow(cart, a.variantId, quantity, variants.get(cart.currency)?.get(a.variantId), stock.get(a.variantId));
      adding.push({ at, cart, lines: cartLines, change: additionTo(cart, cartLines, quantity, sellable) });
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      answers[at] = { status: 'rejected', reason: error };
    }
  }
  if (adding.length === 0) return answers;
  const inserted = await writeAdditions(tx, adding.map((x) => x.change));
  await cartsTouched(tx, adding.map((x) => x.cart.id));
  const after = adding.map((x) => ({ ...x, lines: linesAfter(x.lines, x.change, inserted) }));
  const promotions = await promotionsForCarts(tx, after.map((x) => ({ cart: x.cart, lines: x.lines })));
  for (const x of after) answers[x.at] = { status: 'fulfilled', value: await cartView(tx, x.cart, pricing, x.lines, promotions.get(x.cart.id)) };
  return answers;
}

/** The variants' prices in each currency the carts are in (nearly always one read). */
async function variantsByCurrency(tx: Tx, carts: readonly Cart[], variantIds: readonly string[]): Promise<Map<string, Map<string, CheckoutVariant>>> {
  const idsByCurrency = new Map<string, Set<string>>();
  carts.forEach((cart, i) => {
    const ids = idsByCurrency.get(cart.currency) ?? new Set<string>();
    idsByCurrency.set(cart.currency, ids.add(variantIds[i] as string));
  });
  const out = new Map<string, Map<string, CheckoutVariant>>();
  for (const [currency, ids] of idsByCurrency) out.set(currency, await variantsForCheckout(tx, [...ids], { currency }));
  return out;
}
