/**
 * Numeric view of an order for the Isolation Forest. Amount-like values are log-scaled so a
 * split point drawn uniformly between min and max (Liu et al. 2008, Algorithm 2) does not spend
 * almost every split on the long right tail.
 */
import { featureMatrixFromRows, type FeatureMatrix } from './feature-matrix.js';
import type { CheckoutAttempt, OrderContext } from './order-context.js';
import { VELOCITY_WINDOW_MS } from './order-signals.js';

export const ORDER_FEATURE_NAMES = [
  'ln order total',
  'item count',
  'ln(1 + previous orders)',
  'ln(1 + account age in days)',
  'country mismatches',
  'attempts in the last hour',
] as const;

/** Guests have no account; they are placed at age 0, the riskiest end, rather than left missing. */
export function orderFeatureVector(order: OrderContext, attempts: readonly CheckoutAttempt[] = []): number[] {
  const countries = [order.billingCountry, order.shippingCountry, order.ipCountry].filter((c): c is string => c !== null);
  const mismatches = new Set(countries).size - (countries.length > 0 ? 1 : 0);
  const recentAttempts = attempts.filter(
    (a) => a.at <= order.placedAt && a.at > order.placedAt - VELOCITY_WINDOW_MS &&
      ((order.customerId !== null && a.customerId === order.customerId) || (order.ip !== null && a.ip === order.ip) ||
        (order.cardFingerprint !== null && a.cardFingerprint === order.cardFingerprint)),
  ).length;
  return [
    Math.log(Math.max(1, order.amountMinor)),
    order.itemCount,
    Math.log1p(order.previousOrderCount),
    Math.log1p(Math.max(0, order.accountAgeDays ?? 0)),
    mismatches,
    recentAttempts,
  ];
}

export function orderFeatureMatrix(orders: readonly OrderContext[], attempts: readonly CheckoutAttempt[] = []): FeatureMatrix {
  return featureMatrixFromRows(orders.map((o) => orderFeatureVector(o, attempts)));
}
