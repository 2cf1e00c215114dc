/**
 * Customer lifetime value as discounted expected transactions × expected spend: Fader, Hardie
 * & Lee (2005), "RFM and CLV", JMR 42(4), §4, whose DERT discounts the expected transaction
 * stream. Here the stream is taken in whole periods, as lifetimes' `customer_lifetime_value`
 * does, so its published CDNOW figures can be reproduced:
 *
 *   CLV = Σ_{k=1..K} E[Z | x, z̄] · (E[Y(kL) | x, t_x, T] − E[Y((k−1)L) | x, t_x, T]) / (1 + d)^k
 *
 * with K periods of L model time units each and d the discount rate per period. Splitting
 * E[Z] out of the sum relies on the Gamma-Gamma assumption that spend is independent of the
 * transaction process. The per-period terms are returned too, so a merchant can see when the
 * value is expected to arrive.
 */
import { type BgNbdModel, bgNbdExpectedPurchases, bgNbdProbabilityAlive } from './bg-nbd.js';
import { type GammaGammaParameters, explainExpectedSpend } from './gamma-gamma.js';
import { type ParetoNbdModel, paretoNbdExpectedPurchases, paretoNbdProbabilityAlive } from './pareto-nbd.js';
import type { FrequencyRecency } from './summary.js';

export type TransactionModel = BgNbdModel | ParetoNbdModel;

export interface LifetimeValueOptions {
  /** K: number of periods to sum over. */
  periods: number;
  /** L: length of one period in the transaction model's time unit (e.g. 4.345 weeks for a month). */
  periodLength: number;
  /** d: discount rate per period (0.01 a month ≈ 12.7 % a year). */
  discountRatePerPeriod: number;
}

export interface CustomerForValue extends FrequencyRecency {
  /** z̄: mean amount of the repeat transactions (0 when frequency is 0). */
  monetary: number;
}

export interface LifetimeValuePeriod {
  period: number;
  expectedPurchases: number;
  discountFactor: number;
  value: number;
}

export interface LifetimeValue {
  value: number;
  probabilityAlive: number;
  expectedSpend: number;
  /** Weight the spend estimate puts on the customer's own mean (the rest is the population's). */
  spendWeightOnObserved: number;
  expectedPurchases: number;
  byPeriod: LifetimeValuePeriod[];
}

export function probabilityAlive(model: TransactionModel, c: FrequencyRecency): number {
  return model.kind === 'bg-nbd' ? bgNbdProbabilityAlive(model, c) : paretoNbdProbabilityAlive(model, c);
}

/** Why a customer is (or is not) probably still active, in terms a merchant can act on. */
export interface AliveExplanation {
  probabilityAlive: number;
  /** T − t_x: time since the last purchase, in the model's unit. */
  silence: number;
  /** E[λ | alive, x, T] = (r + x)/(α + T): how often they buy if still active. */
  purchaseRateIfAlive: number;
  /** silence × that rate: how many purchases an active customer would have made meanwhile. */
  purchasesExpectedDuringSilenceIfAlive: number;
}

/**
 * Both models put a Gamma(r, α) prior on the purchase rate and, for a customer alive at T, the
 * likelihood λ^x e^(−λT), so the rate given "still active" has mean (r + x)/(α + T): a long
 * silence compared with 1/rate is what drives P(alive) down.
 */
export function explainProbabilityAlive(model: TransactionModel, c: FrequencyRecency): AliveExplanation {
  const silence = c.T - c.recency;
  const purchaseRateIfAlive = (model.r + c.frequency) / (model.alpha + c.T);
  return { probabilityAlive: probabilityAlive(model, c), silence, purchaseRateIfAlive, purchasesExpectedDuringSilenceIfAlive: silence * purchaseRateIfAlive };
}

/** E[Y(t) | x, t_x, T] under whichever transaction model was fitted. */
export function expectedPurchases(model: TransactionModel, c: FrequencyRecency, horizon: number): number {
  return model.kind === 'bg-nbd' ? bgNbdExpectedPurchases(model, c, horizon) : paretoNbdExpectedPurchases(model, c, horizon);
}

export function explainLifetimeValue(
  transactions: TransactionModel,
  spend: GammaGammaParameters,
  c: CustomerForValue,
  options: LifetimeValueOptions,
): LifetimeValue {
  const spendExplanation = explainExpectedSpend(spend, c);
  const byPeriod: LifetimeValuePeriod[] = [];
  let previous = 0;
  let value = 0;
  for (let k = 1; k <= options.periods; k++) {
    const cumulative = expectedPurchases(transactions, c, k * options.periodLength);
    const discountFactor = (1 + options.discountRatePerPeriod) ** -k;
    const periodValue = spendExplanation.expected * (cumulative - previous) * discountFactor;
    byPeriod.push({ period: k, expectedPurchases: cumulative - previous, discountFactor, value: periodValue });
    value += periodValue;
    previous = cumulative;
  }
  return {
    value,
    probabilityAlive: probabilityAlive(transactions, c),
    expectedSpend: spendExplanation.expected,
    spendWeightOnObserved: spendExplanation.weightOnObserved,
    expectedPurchases: previous,
    byPeriod,
  };
}

export function customerLifetimeValue(
  transactions: TransactionModel,
  spend: GammaGammaParameters,
  c: CustomerForValue,
  options: LifetimeValueOptions,
): number {
  return explainLifetimeValue(transactions, spend, c, options).value;
}
