/**
 * Rule signals for card-not-present order fraud. Each is a pure function of the order, the
 * recent attempts and the shop's history, returning a strength in [0, 1] (0 = no concern) and a
 * sentence a merchant can read. The rules are the standard velocity, amount and geography checks
 * of e-commerce fraud screening (e.g. Bolton & Hand (2002), Statistical Science 17(3), §3 on
 * behavioural and velocity features); thresholds below are named so reviews can tune them.
 */
import type { CheckoutAttempt, OrderContext, OrderHistoryStats } from './order-context.js';

export type RiskSignalCode =
  | 'velocity-customer'
  | 'velocity-ip'
  | 'velocity-card'
  | 'many-cards'
  | 'amount-unusual'
  | 'billing-shipping-mismatch'
  | 'ip-country-mismatch'
  | 'first-order-high-value'
  | 'new-account'
  | 'forest-anomaly';

export interface RiskSignal {
  code: RiskSignalCode;
  /** 0 = no concern, 1 = the rule fires fully. */
  strength: number;
  reason: string;
}

/** Attempts are counted over this window before the order. */
export const VELOCITY_WINDOW_MS = 60 * 60 * 1000;
/** Attempts per key in the window that raise no concern (a retry or two is normal). */
export const VELOCITY_ALLOWED_ATTEMPTS = 3;
/** Attempts per key at which the velocity signal is at full strength. */
export const VELOCITY_SATURATING_ATTEMPTS = 10;
/** Distinct cards from one customer or IP in the window: 2 is normal, 5 looks like card testing. */
export const CARDS_ALLOWED = 2;
export const CARDS_SATURATING = 5;
/** ln-amount z-score where the amount signal starts, and where it is at full strength. */
export const AMOUNT_Z_START = 2;
export const AMOUNT_Z_FULL = 4;
/** Below this many past orders the shop's amount distribution is not trusted. */
export const MIN_HISTORY_ORDERS = 30;
/** A first order this many times the shop's 90th-percentile amount is at full strength. */
export const FIRST_ORDER_FULL_MULTIPLE = 3;
export const NEW_ACCOUNT_DAYS = 1;

const ramp = (value: number, start: number, full: number): number => Math.min(1, Math.max(0, (value - start) / (full - start)));

function attemptsInWindow(order: OrderContext, attempts: readonly CheckoutAttempt[], windowMs: number): CheckoutAttempt[] {
  return attempts.filter((a) => a.at <= order.placedAt && a.at > order.placedAt - windowMs);
}

/** Attempts per customer, IP and card in the window, and distinct cards per customer or IP. */
export function velocitySignals(order: OrderContext, attempts: readonly CheckoutAttempt[], windowMs = VELOCITY_WINDOW_MS): RiskSignal[] {
  const recent = attemptsInWindow(order, attempts, windowMs);
  const minutes = Math.round(windowMs / 60_000);
  const signals: RiskSignal[] = [];
  const keys = [
    { code: 'velocity-customer', label: 'this customer', key: order.customerId, of: (a: CheckoutAttempt) => a.customerId },
    { code: 'velocity-ip', label: 'this IP address', key: order.ip, of: (a: CheckoutAttempt) => a.ip },
    { code: 'velocity-card', label: 'this card', key: order.cardFingerprint, of: (a: CheckoutAttempt) => a.cardFingerprint },
  ] as const;
  for (const { code, label, key, of } of keys) {
    if (key === null) continue;
    const count = recent.filter((a) => of(a) === key).length;
    const strength = ramp(count, VELOCITY_ALLOWED_ATTEMPTS, VELOCITY_SATURATING_ATTEMPTS);
    if (strength > 0) signals.push({ code, strength, reason: `${count} checkout attempts from ${label} in the last ${minutes} minutes` });
  }
  const cards = new Set(
    recent
      .filter((a) => a.cardFingerprint !== null && ((order.customerId !== null && a.customerId === order.customerId) || (order.ip !== null && a.ip === order.ip)))
      .map((a) => a.cardFingerprint),
  );
  if (order.cardFingerprint !== null) cards.add(order.cardFingerprint);
  const cardStrength = ramp(cards.size, CARDS_ALLOWED, CARDS_SATURATING);
  if (cardStrength > 0) signals.push({ code: 'many-cards', strength: cardStrength, reason: `${cards.size} different cards from this customer or IP in the last ${minutes} minutes` });
  return signals;
}

/** z-score of ln(amount) against the shop's history; only unusually HIGH amounts count. */
export function amountZScore(order: OrderContext, history: OrderHistoryStats): number | null {
  if (history.orderCount < MIN_HISTORY_ORDERS || history.sdLogAmount <= 0 || order.amountMinor <= 0) return null;
  return (Math.log(order.amountMinor) - history.meanLogAmount) / history.sdLogAmount;
}

export function amountSignal(order: OrderContext, history: OrderHistoryStats): RiskSignal | null {
  const z = amountZScore(order, history);
  if (z === null) return null;
  const strength = ramp(z, AMOUNT_Z_START, AMOUNT_Z_FULL);
  return strength > 0 ? { code: 'amount-unusual', strength, reason: `order total is ${z.toFixed(1)} standard deviations above this shop's usual (log scale)` } : null;
}

export function countryMismatchSignals(order: OrderContext): RiskSignal[] {
  const signals: RiskSignal[] = [];
  const { billingCountry: billing, shippingCountry: shipping, ipCountry: ip } = order;
  if (billing && shipping && billing !== shipping) {
    signals.push({ code: 'billing-shipping-mismatch', strength: 1, reason: `billing country ${billing} differs from shipping country ${shipping}` });
  }
  if (ip && (billing || shipping) && ip !== billing && ip !== shipping) {
    signals.push({ code: 'ip-country-mismatch', strength: 1, reason: `IP address is in ${ip}, neither the billing nor the shipping country` });
  }
  return signals;
}

/** A first order above the shop's 90th percentile; full strength at FIRST_ORDER_FULL_MULTIPLE × p90. */
export function firstOrderHighValueSignal(order: OrderContext, history: OrderHistoryStats): RiskSignal | null {
  if (order.previousOrderCount > 0 || history.orderCount < MIN_HISTORY_ORDERS || history.p90AmountMinor <= 0) return null;
  const multiple = order.amountMinor / history.p90AmountMinor;
  const strength = ramp(multiple, 1, FIRST_ORDER_FULL_MULTIPLE);
  return strength > 0 ? { code: 'first-order-high-value', strength, reason: `first order, ${multiple.toFixed(1)}× the shop's 90th-percentile order total` } : null;
}

export function newAccountSignal(order: OrderContext): RiskSignal | null {
  if (order.accountAgeDays === null || order.accountAgeDays >= NEW_ACCOUNT_DAYS || order.previousOrderCount > 0) return null;
  return { code: 'new-account', strength: 1, reason: 'account created less than a day before this order' };
}
