/**
 * RFM scoring: recency, frequency and monetary value each scored 1–5 by quintile of the
 * customer base, as in Hughes (1994), "Strategic Database Marketing", ch. 8, and the RFM
 * study on this very retailer, Chen, Sain & Guo (2012), J. Database Marketing & Customer
 * Strategy Management 19(3).
 *
 * Quintiles are kept as breakpoints (the 20/40/60/80 % quantiles) rather than as ranks, so a
 * fitted model scores a customer it has never seen, and tied values (the many one-order
 * customers) always share a score instead of being split arbitrarily across quintiles.
 */

const DAY_MS = 86_400_000;

/** What the order history says about one customer; times are epoch milliseconds (UTC). */
export interface CustomerSummary {
  customerId: string;
  /** Time of the last order. */
  lastOrderAt: number;
  /** Time of the first order (optional; only used for tenure). */
  firstOrderAt?: number;
  /** Number of distinct orders. */
  orders: number;
  /** Total spent, in any consistent unit (minor units in the app). */
  revenue: number;
}

export interface RfmModel {
  /** Recency is measured in days back from this time (epoch ms). */
  referenceDate: number;
  /** Ascending 20/40/60/80 % quantiles of recency days, orders and revenue. */
  recencyBreaks: number[];
  frequencyBreaks: number[];
  monetaryBreaks: number[];
}

export interface RfmScore {
  customerId: string;
  recencyDays: number;
  orders: number;
  revenue: number;
  /** 5 = most recent. */
  recency: number;
  /** 5 = most orders. */
  frequency: number;
  /** 5 = highest spend. */
  monetary: number;
}

export function recencyDays(summary: CustomerSummary, referenceDate: number): number {
  return Math.max(0, (referenceDate - summary.lastOrderAt) / DAY_MS);
}

/** Linear-interpolation quantile (Hyndman & Fan 1996, type 7) of sorted values. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return a + (h - lo) * (b - a);
}

function quintileBreaks(values: number[]): number[] {
  const sorted = values.slice().sort((a, b) => a - b);
  return [0.2, 0.4, 0.6, 0.8].map((p) => quantileSorted(sorted, p));
}

/** 1 + the number of breakpoints strictly below the value: ties share a score. */
function scoreAgainst(breaks: readonly number[], value: number): number {
  let score = 1;
  for (const b of breaks) if (value > b) score++;
  return score;
}

export function fitRfm(customers: readonly CustomerSummary[], referenceDate: number): RfmModel {
  if (customers.length === 0) throw new RangeError('fitRfm needs at least one customer');
  return {
    referenceDate,
    recencyBreaks: quintileBreaks(customers.map((c) => recencyDays(c, referenceDate))),
    frequencyBreaks: quintileBreaks(customers.map((c) => c.orders)),
    monetaryBreaks: quintileBreaks(customers.map((c) => c.revenue)),
  };
}

export function scoreRfm(model: RfmModel, customer: CustomerSummary): RfmScore {
  const days = recencyDays(customer, model.referenceDate);
  return {
    customerId: customer.customerId,
    recencyDays: days,
    orders: customer.orders,
    revenue: customer.revenue,
    // Fewer days since the last order is better, so recency counts breakpoints from the top.
    recency: 6 - scoreAgainst(model.recencyBreaks, days),
    frequency: scoreAgainst(model.frequencyBreaks, customer.orders),
    monetary: scoreAgainst(model.monetaryBreaks, customer.revenue),
  };
}

/** Fit on the customer base and score every customer in it. */
export function rfmScores(customers: readonly CustomerSummary[], referenceDate: number): RfmScore[] {
  const model = fitRfm(customers, referenceDate);
  return customers.map((c) => scoreRfm(model, c));
}
