/**
 * Cart and order totals: ONE pure function, integer minor units throughout.
 *
 * Rounding (documented, and the property tests hold us to it):
 * - every rounding is half-up on a non-negative exact fraction (a/b rounded to the nearest
 *   integer, .5 going up), done once per line, never on the sum;
 * - promotions apply one after the other in the order given (the caller sorts them: buy-X-get-Y,
 *   then percentages, then fixed amounts), each on what the lines it targets still cost after
 *   the ones before it, so no line is ever discounted below zero;
 * - a percentage or fixed promotion is computed on the sum of its lines' remaining amounts,
 *   capped at it, then spread over those lines in proportion by the largest-remainder method,
 *   so the line discounts add up to the promotion's amount exactly;
 * - buy-X-get-Y: of the targeted units, every (X + Y)-th group gives its Y cheapest units the
 *   promotion's percentage off (10 000 bp = free), one rounding per unit price;
 * - tax is per line on the discounted line amount, at the line's own rate when it has one.
 *   Exclusive: tax = round(net × rate). Inclusive: the price holds the tax,
 *   net = round(gross / (1 + rate)), tax = gross − net. A gross price built from an exclusive one
 *   (net + its tax) gives back the same net and tax (the error of one rounding divided by
 *   1 + rate stays under half a unit);
 * - shipping is charged as given and not taxed; a free-shipping promotion makes it zero.
 */
export interface TotalsLine {
  id: string;
  unitAmount: number;
  quantity: number;
  /** This line's tax rate in basis points, when it differs from the order's. */
  taxRateBps?: number;
}

export type Discount = { kind: 'percentage'; basisPoints: number } | { kind: 'fixed'; amount: number } | { kind: 'none' };

/** One promotion as totals see it; `lineIds` limits it to those lines (all lines when absent). */
export type PromotionAdjustment =
  | { id: string; kind: 'percentage'; basisPoints: number; lineIds?: readonly string[] }
  | { id: string; kind: 'fixed'; amount: number; lineIds?: readonly string[] }
  | { id: string; kind: 'bxgy'; buy: number; get: number; basisPoints: number; lineIds?: readonly string[] }
  | { id: string; kind: 'free_shipping' };

export interface TotalsInput {
  lines: readonly TotalsLine[];
  /** A single order-wide discount, applied before `promotions`. */
  discount?: Discount;
  promotions?: readonly PromotionAdjustment[];
  shipping?: number;
  freeShipping?: boolean;
  /** Rate in basis points (2000 = 20 %). */
  taxRateBps?: number;
  taxInclusive?: boolean;
}

export interface LineTotals {
  id: string;
  subtotal: number;
  discount: number;
  tax: number;
  /** What the shopper pays for the line: subtotal − discount (+ tax when exclusive). */
  total: number;
}

export interface PromotionTotal {
  id: string;
  /** Discount on the lines, or the shipping it waived for free shipping. */
  amount: number;
}

export interface Totals {
  lines: LineTotals[];
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  taxInclusive: boolean;
  /** What each promotion took off, in the order applied. */
  promotions: PromotionTotal[];
}

/** round(a × b / c) half-up for a, b ≥ 0 and c > 0, in exact integer arithmetic. */
export function mulDivHalfUp(a: number, b: number, c: number): number {
  const product = BigInt(a) * BigInt(b);
  const divisor = BigInt(c);
  return Number((2n * product + divisor) / (2n * divisor));
}

function assertAmount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative integer of minor units, got ${value}`);
}

export function discountAmount(discount: Discount | undefined, subtotal: number): number {
  if (!discount || discount.kind === 'none') return 0;
  if (discount.kind === 'fixed') return Math.min(subtotal, discount.amount);
  return Math.min(subtotal, mulDivHalfUp(subtotal, Math.min(discount.basisPoints, 10_000), 10_000));
}

/** Splits `amount` over `weights` in proportion, largest remainder first (ties by position), summing exactly. */
export function allocate(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  if (total === 0 || amount === 0) return weights.map(() => 0);
  const exact = weights.map((w) => BigInt(amount) * BigInt(w));
  const shares = exact.map((e) => Number(e / BigInt(total)));
  let left = amount - shares.reduce((s, v) => s + v, 0);
  const order = exact.map((e, i) => ({ i, rem: e % BigInt(total) })).sort((x, y) => (y.rem > x.rem ? 1 : y.rem < x.rem ? -1 : x.i - y.i));
  for (const { i } of order) {
    if (left === 0) break;
    shares[i] = (shares[i] as number) + 1;
    left--;
  }
  return shares;
}

export function lineTax(net: number, rateBps: number, inclusive: boolean): number {
  if (rateBps === 0) return 0;
  return inclusive ? net - mulDivHalfUp(net, 10_000, 10_000 + rateBps) : mulDivHalfUp(net, rateBps, 10_000);
}

/** Buy-X-get-Y on the targeted lines: per line, the discount its free (or reduced) units earn. */
function bxgyDiscounts(lines: readonly TotalsLine[], targeted: readonly number[], buy: number, get: number, basisPoints: number): Map<number, number> {
  const units = targeted.reduce((s, i) => s + (lines[i] as TotalsLine).quantity, 0);
  let free = Math.floor(units / (buy + get)) * get;
  const out = new Map<number, number>();
  const cheapestFirst = [...targeted].sort((a, b) => (lines[a] as TotalsLine).unitAmount - (lines[b] as TotalsLine).unitAmount || a - b);
  for (const i of cheapestFirst) {
    if (free === 0) break;
    const line = lines[i] as TotalsLine;
    const n = Math.min(free, line.quantity);
    out.set(i, n * mulDivHalfUp(line.unitAmount, basisPoints, 10_000));
    free -= n;
  }
  return out;
}

function checkPromotion(p: PromotionAdjustment): void {
  if (p.kind === 'percentage') assertAmount(p.basisPoints, `basisPoints of ${p.id}`);
  if (p.kind === 'fixed') assertAmount(p.amount, `amount of ${p.id}`);
  if (p.kind === 'bxgy') {
    assertAmount(p.basisPoints, `basisPoints of ${p.id}`);
    if (!Number.isSafeInteger(p.buy) || p.buy < 1 || !Number.isSafeInteger(p.get) || p.get < 1) throw new RangeError(`buy and get of ${p.id} must be positive integers`);
  }
}

export function computeTotals(input: TotalsInput): Totals {
  const rate = input.taxRateBps ?? 0;
  const inclusive = input.taxInclusive ?? false;
  assertAmount(rate, 'taxRateBps');
  for (const l of input.lines) {
    assertAmount(l.unitAmount, `unitAmount of ${l.id}`);
    if (l.taxRateBps !== undefined) assertAmount(l.taxRateBps, `taxRateBps of ${l.id}`);
    if (!Number.isSafeInteger(l.quantity) || l.quantity <= 0) throw new RangeError(`quantity of ${l.id} must be a positive integer`);
  }
  if (input.discount?.kind === 'fixed') assertAmount(input.discount.amount, 'discount');
  if (input.discount?.kind === 'percentage') assertAmount(input.discount.basisPoints, 'discount');
  for (const p of input.promotions ?? []) checkPromotion(p);
  const lineSubtotals = input.lines.map((l) => l.unitAmount * l.quantity);
  const subtotal = lineSubtotals.reduce((s, v) => s + v, 0);
  assertAmount(subtotal, 'subtotal');
  const lineDiscounts = allocate(discountAmount(input.discount, subtotal), lineSubtotals);
  const remaining = (i: number) => (lineSubtotals[i] as number) - (lineDiscounts[i] as number);

  let shippingIn = input.shipping ?? 0;
  assertAmount(shippingIn, 'shipping');
  if (input.freeShipping) shippingIn = 0;
  let shipping = shippingIn;
  const promotions: PromotionTotal[] = [];
  for (const p of input.promotions ?? []) {
    if (p.kind === 'free_shipping') {
      promotions.push({ id: p.id, amount: shipping });
      shipping = 0;
      continue;
    }
    const wanted = p.lineIds ? new Set(p.lineIds) : null;
    const targeted = input.lines.map((l, i) => (wanted === null || wanted.has(l.id) ? i : -1)).filter((i) => i >= 0);
    const shares = new Map<number, number>();
    if (p.kind === 'bxgy') {
      for (const [i, d] of bxgyDiscounts(input.lines, targeted, p.buy, p.get, Math.min(p.basisPoints, 10_000))) shares.set(i, Math.min(d, remaining(i)));
    } else {
      const base = targeted.map(remaining);
      const sum = base.reduce((s, v) => s + v, 0);
      const amount = p.kind === 'fixed' ? Math.min(sum, p.amount) : Math.min(sum, mulDivHalfUp(sum, Math.min(p.basisPoints, 10_000), 10_000));
      allocate(amount, base).forEach((d, k) => shares.set(targeted[k] as number, d));
    }
    let taken = 0;
    for (const [i, d] of shares) {
      lineDiscounts[i] = (lineDiscounts[i] as number) + d;
      taken += d;
    }
    promotions.push({ id: p.id, amount: taken });
  }

  const lines = input.lines.map((l, i): LineTotals => {
    const lineSubtotal = lineSubtotals[i] as number;
    const lineDiscount = lineDiscounts[i] as number;
    const tax = lineTax(lineSubtotal - lineDiscount, l.taxRateBps ?? rate, inclusive);
    return { id: l.id, subtotal: lineSubtotal, discount: lineDiscount, tax, total: lineSubtotal - lineDiscount + (inclusive ? 0 : tax) };
  });
  const discount = lines.reduce((s, l) => s + l.discount, 0);
  const tax = lines.reduce((s, l) => s + l.tax, 0);
  const total = lines.reduce((s, l) => s + l.total, 0) + shipping;
  return { lines, subtotal, discount, shipping, tax, total, taxInclusive: inclusive, promotions };
}
