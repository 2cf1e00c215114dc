/**
 * Cart and order totals: ONE pure function, integer minor units throughout.
 *
 * Rounding (documented, and the property tests hold us to it):
 * - every rounding is half-up on a non-negative exact fraction (a/b rounded to the nearest
 *   integer, .5 going up), done once per line, never on the sum;
 * - an order-level discount is computed on the subtotal, capped at it, then spread over the
 *   lines in proportion to their subtotals by the largest-remainder method, so the line
 *   discounts add up to the discount exactly;
 * - tax is per line on the discounted line amount. Exclusive: tax = round(net × rate).
 *   Inclusive: the price holds the tax, net = round(gross / (1 + rate)), tax = gross − net.
 *   A gross price built from an exclusive one (net + its tax) gives back the same net and tax
 *   (the error of one rounding divided by 1 + rate stays under half a unit);
 * - shipping is charged as given and not taxed.
 */
export interface TotalsLine {
  id: string;
  unitAmount: number;
  quantity: number;
}

export type Discount = { kind: 'percentage'; basisPoints: number } | { kind: 'fixed'; amount: number } | { kind: 'none' };

export interface TotalsInput {
  lines: readonly TotalsLine[];
  discount?: Discount;
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

export interface Totals {
  lines: LineTotals[];
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  taxInclusive: boolean;
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

export function computeTotals(input: TotalsInput): Totals {
  const rate = input.taxRateBps ?? 0;
  const inclusive = input.taxInclusive ?? false;
  assertAmount(rate, 'taxRateBps');
  for (const l of input.lines) {
    assertAmount(l.unitAmount, `unitAmount of ${l.id}`);
    if (!Number.isSafeInteger(l.quantity) || l.quantity <= 0) throw new RangeError(`quantity of ${l.id} must be a positive integer`);
  }
  if (input.discount?.kind === 'fixed') assertAmount(input.discount.amount, 'discount');
  if (input.discount?.kind === 'percentage') assertAmount(input.discount.basisPoints, 'discount');
  const lineSubtotals = input.lines.map((l) => l.unitAmount * l.quantity);
  const subtotal = lineSubtotals.reduce((s, v) => s + v, 0);
  assertAmount(subtotal, 'subtotal');
  const discount = discountAmount(input.discount, subtotal);
  const lineDiscounts = allocate(discount, lineSubtotals);
  const lines = input.lines.map((l, i): LineTotals => {
    const lineSubtotal = lineSubtotals[i] as number;
    const lineDiscount = lineDiscounts[i] as number;
    const tax = lineTax(lineSubtotal - lineDiscount, rate, inclusive);
    return { id: l.id, subtotal: lineSubtotal, discount: lineDiscount, tax, total: lineSubtotal - lineDiscount + (inclusive ? 0 : tax) };
  });
  const shipping = input.freeShipping ? 0 : (input.shipping ?? 0);
  assertAmount(shipping, 'shipping');
  const tax = lines.reduce((s, l) => s + l.tax, 0);
  const total = lines.reduce((s, l) => s + l.total, 0) + shipping;
  return { lines, subtotal, discount, shipping, tax, total, taxInclusive: inclusive };
}
