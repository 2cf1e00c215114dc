import type { Database, Tx } from '../../platform/db/database.js';
import type { Logger } from '../../platform/observability/logger.js';
import { groupedOrAlone, type GroupAnswers } from '../../platform/grouped.js';
import { Problem } from '../../platform/http/problem.js';
import { variantsInCurrencies } from '../catalog/for-checkout.js';
import { availability } from '../inventory/stock.js';
import { promotionCandidatesOfCarts } from '../promotions/service.js';
import {
  addItem, additionTo, cartForToken, cartsTouched, cartView, linesAfter, linesOfCarts, openCartsOf, quantityAfter, sellableNow, writeAdditions,
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
export function lineAdder(database: Database, pricing: PricingSettings, logger: Logger): (addition: LineAddition) => Promise<CartView> {
  const alone = (a: LineAddition) => database.transaction(async (tx) => {
    const cart = await cartForToken(tx, a.cartId, a.token, 'touch');
    return cartView(tx, cart, pricing, await addItem(tx, cart, a));
  });
  return groupedOrAlone((group: LineAddition[]) => database.transaction((tx) => addAll(tx, group, pricing)), alone, {
    maxSize: GROUP_MAX,
    onFailure: (error, additions) => logger.warn({ err: error, additions }, 'a group of cart additions failed together; adding them one by one'),
  });
}

/** The group's answers, by position; none where an addition is to run on its own. */
async function addAll(tx: Tx, group: readonly LineAddition[], pricing: PricingSettings): Promise<GroupAnswers<CartView>> {
  const answers: GroupAnswers<CartView> = [];
  const taking = await openCartsOf(tx, group);
  if (taking.length === 0) return answers;
  const lines = await linesOfCarts(tx, taking.map((t) => t.cart.id));
  const variants = await variantsInCurrencies(tx, taking.map((t) => ({ currency: t.cart.currency, variantId: t.request.variantId })));
  const stock = await availability(tx, [...new Set(taking.map((t) => t.request.variantId))]);
  const adding: { at: number; cart: Cart; lines: CartItem[]; change: LineChange }[] = [];
  for (const { request: a, at, cart } of taking) {
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
  const candidates = await promotionCandidatesOfCarts(tx, after.map((x) => x.cart.id));
  for (const x of after) answers[x.at] = { status: 'fulfilled', value: await cartView(tx, x.cart, pricing, x.lines, candidates.get(x.cart.id)) };
  return answers;
}
