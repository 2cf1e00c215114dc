/**
 * One 0–100 risk score per order, for the fraud-review queue.
 *
 * Combination: additive points. Each signal contributes weight × strength (strength in [0, 1]),
 * weights below are the points a fully-firing signal adds; the score is the sum capped at 100.
 * Points were chosen so no single soft signal (a country mismatch, an unusual amount, an
 * unusual-looking order) reaches the review threshold alone, while hard velocity evidence or
 * two soft signals together do. Additive points are used over a logistic model because the
 * shop has no fraud labels to fit one to, and because "velocity +35, mismatch +15" is an
 * explanation a merchant can check against the order.
 *
 * The Isolation Forest (Liu, Ting & Zhou 2008) adds points only above s = 0.6. The paper reads
 * s ≈ 0.5 as "no distinct anomaly", but with a few hundred evenly spread past orders ordinary
 * orders scatter up to about 0.6 (the edges of the data), so the ramp starts there and reaches
 * full strength at s = 0.8.
 */
import type { CheckoutAttempt, OrderContext, OrderHistoryStats } from './order-context.js';
import { fitIsolationForest, type IsolationForestModel } from './isolation-forest.js';
import { isolatingFeatures, scoreIsolationForestRow } from './isolation-forest-score.js';
import { ORDER_FEATURE_NAMES, orderFeatureMatrix, orderFeatureVector } from './order-features.js';
import {
  amountSignal,
  countryMismatchSignals,
  firstOrderHighValueSignal,
  newAccountSignal,
  velocitySignals,
  type RiskSignal,
  type RiskSignalCode,
} from './order-signals.js';

export const RISK_POINTS: Readonly<Record<RiskSignalCode, number>> = {
  'velocity-customer': 35,
  'velocity-ip': 30,
  'velocity-card': 40,
  'many-cards': 45,
  'amount-unusual': 20,
  'billing-shipping-mismatch': 15,
  'ip-country-mismatch': 15,
  'first-order-high-value': 20,
  'new-account': 10,
  'forest-anomaly': 25,
};

/** At or above: hold for manual review. */
export const REVIEW_THRESHOLD = 30;
/** At or above: recommend cancelling or asking for verification. */
export const HIGH_RISK_THRESHOLD = 60;
export const FOREST_NEUTRAL_SCORE = 0.6;
export const FOREST_FULL_SCORE = 0.8;
export const TOP_REASONS = 3;

export interface OrderRiskInput {
  order: OrderContext;
  recentAttempts?: readonly CheckoutAttempt[];
  history: OrderHistoryStats;
  /** The shop's order model from fitOrderAnomalyModel; scored here when forestScore is not given. */
  forest?: IsolationForestModel | null;
  /** s(x) precomputed by the caller (e.g. a batch run); takes precedence over `forest`. */
  forestScore?: number | null;
  /** Names of the attributes that isolate the order (isolatingFeatures), quoted in the reason. */
  forestFeatures?: readonly string[];
}

/** How many isolating attributes the forest reason names. */
export const FOREST_REASON_FEATURES = 2;

/**
 * Isolation Forest over the shop's past orders (orderFeatureVector). Constant attributes are
 * redrawn rather than split: in a small shop several order features (mismatches, attempts) are
 * constant, and splitting on them would only add the same depth to every path.
 */
export function fitOrderAnomalyModel(orders: readonly OrderContext[], attempts: readonly CheckoutAttempt[], seed: number): IsolationForestModel {
  return fitIsolationForest(orderFeatureMatrix(orders, attempts), { seed, featureNames: ORDER_FEATURE_NAMES, constantAttribute: 'redraw' });
}

export interface RiskContribution extends RiskSignal {
  /** Points added to the score: RISK_POINTS[code] × strength. */
  points: number;
}

export interface OrderRiskAssessment {
  orderId: string;
  /** 0–100, integer. */
  score: number;
  level: 'low' | 'review' | 'high';
  /** Sum of points before the cap at 100. */
  uncappedPoints: number;
  /** The largest contributions, most points first. */
  topReasons: RiskContribution[];
  contributions: RiskContribution[];
}

export function forestSignal(forestScore: number, isolatingFeatureNames: readonly string[] = []): RiskSignal | null {
  const strength = Math.min(1, Math.max(0, (forestScore - FOREST_NEUTRAL_SCORE) / (FOREST_FULL_SCORE - FOREST_NEUTRAL_SCORE)));
  if (strength <= 0) return null;
  const which = isolatingFeatureNames.length > 0 ? `, mostly in ${isolatingFeatureNames.join(', ')}` : '';
  return { code: 'forest-anomaly', strength, reason: `order looks unlike this shop's past orders (anomaly score ${forestScore.toFixed(2)}${which})` };
}

function forestSignalFor(input: OrderRiskInput): RiskSignal | null {
  if (input.forestScore !== null && input.forestScore !== undefined) return forestSignal(input.forestScore, input.forestFeatures);
  if (!input.forest) return null;
  const row = orderFeatureVector(input.order, input.recentAttempts ?? []);
  const names = isolatingFeatures(input.forest, row, FOREST_REASON_FEATURES).map((f) => f.name);
  return forestSignal(scoreIsolationForestRow(input.forest, row), names);
}

export function collectOrderSignals(input: OrderRiskInput): RiskSignal[] {
  const { order, history } = input;
  const signals: (RiskSignal | null)[] = [
    ...velocitySignals(order, input.recentAttempts ?? []),
    amountSignal(order, history),
    ...countryMismatchSignals(order),
    firstOrderHighValueSignal(order, history),
    newAccountSignal(order),
    forestSignalFor(input),
  ];
  return signals.filter((s): s is RiskSignal => s !== null);
}

export function combineRiskSignals(orderId: string, signals: readonly RiskSignal[]): OrderRiskAssessment {
  const contributions = signals
    .map((s) => ({ ...s, points: RISK_POINTS[s.code] * s.strength }))
    .filter((c) => c.points > 0)
    .sort((a, b) => b.points - a.points || a.code.localeCompare(b.code));
  const uncappedPoints = contributions.reduce((sum, c) => sum + c.points, 0);
  const score = Math.min(100, Math.round(uncappedPoints));
  const level = score >= HIGH_RISK_THRESHOLD ? 'high' : score >= REVIEW_THRESHOLD ? 'review' : 'low';
  return { orderId, score, level, uncappedPoints, topReasons: contributions.slice(0, TOP_REASONS), contributions };
}

/** The fraud-review entry point: signals, forest score and combination for one order. */
export function assessOrderRisk(input: OrderRiskInput): OrderRiskAssessment {
  return combineRiskSignals(input.order.orderId, collectOrderSignals(input));
}
