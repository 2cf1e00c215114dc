/**
 * What the fraud signals know about one order, and the shop history they compare it with.
 * Amounts are integer minor units in the shop's currency; times are epoch milliseconds passed
 * in by the caller (the intelligence core reads no clock).
 */
export interface OrderContext {
  orderId: string;
  customerId: string | null;
  /** Client IP as seen by checkout. */
  ip: string | null;
  /** Payment provider's card fingerprint (same card, same value), never the card number. */
  cardFingerprint: string | null;
  placedAt: number;
  /** Order total, integer minor units of the shop currency. */
  amountMinor: number;
  itemCount: number;
  /** ISO 3166-1 alpha-2 codes; null when unknown. */
  billingCountry: string | null;
  shippingCountry: string | null;
  ipCountry: string | null;
  /** Paid orders this customer placed before this one (0 = first order). */
  previousOrderCount: number;
  /** Days since the account was created; null for guest checkout. */
  accountAgeDays: number | null;
}

/** One checkout or payment attempt, successful or not, from the recent event log. */
export interface CheckoutAttempt {
  at: number;
  customerId: string | null;
  ip: string | null;
  cardFingerprint: string | null;
  succeeded: boolean;
}

/** Summary of the shop's paid order totals, from fitOrderHistoryStats. */
export interface OrderHistoryStats {
  orderCount: number;
  /** Mean and standard deviation of ln(amount); order totals are roughly log-normal. */
  meanLogAmount: number;
  sdLogAmount: number;
  /** 90th percentile of amounts, minor units. */
  p90AmountMinor: number;
}

export function fitOrderHistoryStats(amountsMinor: readonly number[]): OrderHistoryStats {
  const positive = amountsMinor.filter((a) => a > 0);
  const n = positive.length;
  if (n === 0) return { orderCount: 0, meanLogAmount: 0, sdLogAmount: 0, p90AmountMinor: 0 };
  const logs = positive.map((a) => Math.log(a));
  const meanLogAmount = logs.reduce((s, x) => s + x, 0) / n;
  const variance = n > 1 ? logs.reduce((s, x) => s + (x - meanLogAmount) ** 2, 0) / (n - 1) : 0;
  const sorted = [...positive].sort((a, b) => a - b);
  // Nearest-rank percentile: an amount that actually occurred, no interpolation between orders.
  const p90AmountMinor = sorted[Math.max(0, Math.ceil(0.9 * n) - 1)] as number;
  return { orderCount: n, meanLogAmount, sdLogAmount: Math.sqrt(variance), p90AmountMinor };
}
