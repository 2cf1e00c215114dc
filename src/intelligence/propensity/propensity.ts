/**
 * "Will this customer buy in the next 30 days?" — one typed entry point over the two model
 * families (logistic regression, gradient-boosted trees), so the insights module and the
 * copilot can store either as JSON and get a probability with its top reasons back.
 */
import { explainGbdt, fitGradientBoostedTrees, type GbdtModel, type GbdtOptions } from '../trees/gbdt.js';
import { explainLogistic, fitLogisticRegression, type LogisticModel, type LogisticOptions } from './logistic-regression.js';
import { PURCHASE_FEATURE_NAMES, purchaseFeatures, type CustomerOrder } from './features.js';

export type PropensityModel =
  | { kind: 'logistic'; horizonDays: number; model: LogisticModel }
  | { kind: 'gbdt'; horizonDays: number; model: GbdtModel };

export type PropensityFitOptions =
  | ({ kind: 'logistic'; horizonDays?: number } & LogisticOptions)
  | ({ kind: 'gbdt'; horizonDays?: number } & GbdtOptions);

export interface PropensityScore {
  probability: number;
  /** The features that moved this customer's log-odds most, largest first. */
  topReasons: { feature: string; value: number; contribution: number }[];
}

export function fitPurchasePropensity(rows: readonly (readonly number[])[], labels: ArrayLike<0 | 1>, options: PropensityFitOptions): PropensityModel {
  const horizonDays = options.horizonDays ?? 30;
  const featureNames = [...PURCHASE_FEATURE_NAMES];
  return options.kind === 'logistic'
    ? { kind: 'logistic', horizonDays, model: fitLogisticRegression(rows, labels, { featureNames, ...options }) }
    : { kind: 'gbdt', horizonDays, model: fitGradientBoostedTrees(rows, labels, { featureNames, ...options }) };
}

/** Probability from a ready feature vector (PURCHASE_FEATURE_NAMES order). */
export function scoreFeatures(model: PropensityModel, features: readonly number[], topReasons = 3): PropensityScore {
  const e = model.kind === 'logistic' ? explainLogistic(model.model, features) : explainGbdt(model.model, features);
  return { probability: e.probability, topReasons: e.contributions.slice(0, topReasons) };
}

/** Probability that a customer with this history buys within the model's horizon after `at`; null for a customer with no past order. */
export function scorePurchasePropensity(model: PropensityModel, orders: readonly CustomerOrder[], at: number, topReasons = 3): PropensityScore | null {
  const features = purchaseFeatures(orders, at);
  return features ? scoreFeatures(model, features, topReasons) : null;
}
