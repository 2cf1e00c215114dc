import type { Db } from '../../platform/db/database.js';
import { problem } from '../../platform/http/problem.js';
import { variantsForCheckout } from '../catalog/for-checkout.js';
import { promotionsForCart, type CartPromotions, type PromotionCandidates } from '../promotions/service.js';
import { regionFor, shippingPrice, type TaxAndShipping } from '../regions/service.js';
import type { Cart, CartItem, PricingSettings } from './service.js';
import { computeTotals, type Totals } from './totals.js';

export interface PricedCart {
  totals: Totals;
  promotions: CartPromotions;
  /** The region of the shipping address, when it is in one. */
  region: TaxAndShipping | null;
  /** The chosen option when it is valid for this cart's region and currency. */
  shippingOptionId: string | null;
  /** The region has options for this cart and none valid is chosen yet: checkout needs one. */
  shippingRequired: boolean;
}

export interface QuotedOption {
  id: string;
  name: string;
  kind: 'flat' | 'weight';
  amount: number;
  currency: string;
}

const cartWeight = async (db: Db, cart: Cart, lines: readonly CartItem[]) => {
  const variants = await variantsForCheckout(db, lines.map((l) => l.variantId), { currency: cart.currency });
  return lines.reduce((s, l) => s + (variants.get(l.variantId)?.weightGrams ?? 0) * l.quantity, 0);
};

/**
 * Everything a cart costs, from the ONE totals function: promotions (codes and automatic),
 * the tax rate and pricing mode of the shipping address's region, and the chosen shipping
 * option priced for this cart. Outside every region (or with no address yet) the shop-wide
 * settings apply (TAX_RATE_BPS, TAX_INCLUSIVE, SHIPPING_FLAT_AMOUNT, FREE_SHIPPING_OVER).
 * `strict` is checkout: a code that no longer applies, or a missing shipping choice, is an error.
 * `candidates`: the cart's promotion candidates, when read already (for many carts at once).
 */
export async function priceCart(db: Db, cart: Cart, lines: readonly CartItem[], pricing: PricingSettings, opts: { strict?: boolean; candidates?: PromotionCandidates } = {}): Promise<PricedCart> {
  const promos = await promotionsForCart(db, cart, lines, opts);
  const region = cart.shippingAddress ? await regionFor(db, cart.shippingAddress) : null;
  const taxRateBps = region ? region.taxRateBps : pricing.taxRateBps;
  const taxInclusive = region ? region.region.taxInclusive : pricing.taxInclusive;
  const base = { lines, promotions: promos.adjustments, taxRateBps, taxInclusive };
  const goods = computeTotals(base);
  const discountedSubtotal = goods.subtotal - goods.discount;
  const offered = region?.region.currency === cart.currency ? region.options : [];
  let shipping = 0;
  let shippingOptionId: string | null = null;
  if (lines.length > 0 && offered.length > 0) {
    const chosen = offered.find((o) => o.id === cart.shippingOptionId);
    const price = chosen ? shippingPrice(chosen, { weightGrams: chosen.kind === 'weight' ? await cartWeight(db, cart, lines) : 0, discountedSubtotal }) : null;
    if (chosen && price !== null) {
      shipping = price;
      shippingOptionId = chosen.id;
    }
  } else if (lines.length > 0) {
    const free = pricing.freeShippingOver > 0 && discountedSubtotal >= pricing.freeShippingOver;
    shipping = free ? 0 : pricing.shippingFlatAmount;
  }
  const shippingRequired = lines.length > 0 && offered.length > 0 && shippingOptionId === null;
  if (opts.strict && shippingRequired) {
    throw problem(422, 'shipping-option-required', 'Choose a shipping option for this address (GET /store/carts/{id}/shipping-options)', { cartId: cart.id });
  }
  return { totals: computeTotals({ ...base, shipping }), promotions: promos, region, shippingOptionId, shippingRequired };
}

/** The shipping options a cart can choose, each priced for it; empty outside every region. */
export async function shippingOptionsFor(db: Db, cart: Cart, lines: readonly CartItem[], pricing: PricingSettings): Promise<QuotedOption[]> {
  if (!cart.shippingAddress) throw problem(422, 'shipping-address-required', 'Set the cart\'s shipping address first', { field: 'shippingAddress' });
  const priced = await priceCart(db, cart, lines, pricing);
  const region = priced.region;
  if (!region || region.region.currency !== cart.currency) return [];
  const discountedSubtotal = priced.totals.subtotal - priced.totals.discount;
  const weightGrams = region.options.some((o) => o.kind === 'weight') ? await cartWeight(db, cart, lines) : 0;
  const out: QuotedOption[] = [];
  for (const o of region.options) {
    const amount = shippingPrice(o, { weightGrams, discountedSubtotal });
    if (amount !== null) out.push({ id: o.id, name: o.name, kind: o.kind, amount, currency: cart.currency });
  }
  return out;
}
