/**
 * Purchase-propensity features from a customer's order history as it stood at a cutoff time:
 * the RFM triple (Hughes 1994) plus tenure, inter-purchase gap statistics and recent-window
 * counts, the usual covariates of churn/repurchase models (e.g. Fader, Hardie & Lee 2005 use
 * recency, frequency and age T; Buckinx & Van den Poel 2005, EJOR 164(1), add inter-purchase
 * time and its spread). Only orders strictly before the cutoff are read, so a label taken
 * from [cutoff, cutoff + horizon) can never leak into the features.
 *
 * Counts and amounts are log1p-transformed because they are heavily right-skewed; trees do
 * not care and logistic regression needs it.
 */
const DAY_MS = 86_400_000;

/** One order (invoice) of one customer; `at` is epoch ms, `amount` in any consistent unit. */
export interface CustomerOrder {
  customerId: string;
  at: number;
  amount: number;
}

export const PURCHASE_FEATURE_NAMES = [
  'log recency (days since last order)',
  'log orders',
  'log revenue',
  'log average order value',
  'log tenure (days since first order)',
  'log mean days between orders',
  'log sd of days between orders',
  'log recency / mean gap',
  'log orders in last 30 days',
  'log orders in last 90 days',
  'log revenue in last 90 days',
  'active months of last 6',
] as const;

/**
 * The feature vector of one customer at `cutoff`, in PURCHASE_FEATURE_NAMES order, or null when
 * the customer had no order before the cutoff. `orders` may be in any order and may include
 * orders after the cutoff (they are ignored).
 */
export function purchaseFeatures(orders: readonly CustomerOrder[], cutoff: number): number[] | null {
  const past = orders.filter((o) => o.at < cutoff).sort((a, b) => a.at - b.at);
  if (past.length === 0) return null;
  const count = past.length;
  const first = past[0]!.at;
  const last = past[count - 1]!.at;
  const recency = (cutoff - last) / DAY_MS;
  const tenure = (cutoff - first) / DAY_MS;
  const revenue = past.reduce((s, o) => s + o.amount, 0);
  const gaps = past.slice(1).map((o, i) => (o.at - past[i]!.at) / DAY_MS);
  // With one order the gap is unknown but at least the tenure: use that lower bound.
  const meanGap = gaps.length > 0 ? gaps.reduce((s, g) => s + g, 0) / gaps.length : tenure;
  const sdGap = gaps.length > 1 ? Math.sqrt(gaps.reduce((s, g) => s + (g - meanGap) ** 2, 0) / (gaps.length - 1)) : 0;
  const within = (days: number) => past.filter((o) => o.at >= cutoff - days * DAY_MS);
  const recent90 = within(90);
  const activeMonths = new Set(within(182.5).map((o) => Math.floor((cutoff - o.at) / (30.4375 * DAY_MS)))).size;
  return [
    Math.log1p(recency),
    Math.log1p(count),
    Math.log1p(Math.max(0, revenue)),
    Math.log1p(Math.max(0, revenue / count)),
    Math.log1p(tenure),
    Math.log1p(meanGap),
    Math.log1p(sdGap),
    Math.log1p(recency / Math.max(1, meanGap)),
    Math.log1p(within(30).length),
    Math.log1p(recent90.length),
    Math.log1p(Math.max(0, recent90.reduce((s, o) => s + o.amount, 0))),
    Math.min(6, activeMonths),
  ];
}

export interface PropensityDataset {
  customerIds: string[];
  rows: number[][];
  /** Bought at least once in [cutoff, cutoff + horizonDays). */
  labels: (0 | 1)[];
}

/** One row per customer with at least one order before `cutoff`, labelled by the next `horizonDays`. */
export function buildPropensityDataset(orders: readonly CustomerOrder[], cutoff: number, horizonDays = 30): PropensityDataset {
  const byCustomer = new Map<string, CustomerOrder[]>();
  for (const o of orders) {
    const list = byCustomer.get(o.customerId);
    if (list) list.push(o);
    else byCustomer.set(o.customerId, [o]);
  }
  const end = cutoff + horizonDays * DAY_MS;
  const out: PropensityDataset = { customerIds: [], rows: [], labels: [] };
  for (const [customerId, list] of [...byCustomer].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const features = purchaseFeatures(list, cutoff);
    if (!features) continue;
    out.customerIds.push(customerId);
    out.rows.push(features);
    out.labels.push(list.some((o) => o.at >= cutoff && o.at < end) ? 1 : 0);
  }
  return out;
}
