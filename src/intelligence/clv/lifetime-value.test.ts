import { expect, test } from 'vitest';
import { type BgNbdModel, bgNbdExpectedPurchases, bgNbdProbabilityAlive } from './bg-nbd.js';
import { customerLifetimeValue, expectedPurchases, explainLifetimeValue, explainProbabilityAlive, probabilityAlive } from './lifetime-value.js';
import type { ParetoNbdModel } from './pareto-nbd.js';

const diagnostics = { logLikelihood: 0, customers: 0, iterations: 0, converged: true };
const bg: BgNbdModel = { kind: 'bg-nbd', r: 0.24, alpha: 4.4, a: 0.79, b: 2.43, ...diagnostics };
const pareto: ParetoNbdModel = { kind: 'pareto-nbd', r: 2, alpha: 4, s: 3, beta: 6, ...diagnostics };
const spend = { p: 1, q: 2, gamma: 3 };
const customer = { frequency: 1, recency: 10, T: 10, monetary: 2 }; // E[Z] = 2.5 (gamma-gamma.test.ts)

test('without discounting, CLV is expected spend × expected purchases over the whole horizon', () => {
  const options = { periods: 6, periodLength: 4, discountRatePerPeriod: 0 };
  expect(customerLifetimeValue(bg, spend, customer, options)).toBeCloseTo(2.5 * bgNbdExpectedPurchases(bg, customer, 24), 12);
});

test('each period is discounted once more than the one before', () => {
  // Pareto/NBD customer who just bought: E[Y(t)] = (r+x)(β+T)/((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] = 12/7 · [1 − (16/(16+t))²].
  const cumulative = (t: number): number => (12 / 7) * (1 - (16 / (16 + t)) ** 2);
  const explained = explainLifetimeValue(pareto, spend, customer, { periods: 2, periodLength: 16, discountRatePerPeriod: 0.1 });
  const first = (2.5 * cumulative(16)) / 1.1;
  const second = (2.5 * (cumulative(32) - cumulative(16))) / 1.21;
  expect(explained.byPeriod.map((p) => p.value)).toEqual([expect.closeTo(first, 12), expect.closeTo(second, 12)]);
  expect(explained.value).toBeCloseTo(first + second, 12);
  expect(explained.expectedPurchases).toBeCloseTo(cumulative(32), 12);
  expect(explained.probabilityAlive).toBe(1);
  expect(explained.spendWeightOnObserved).toBe(0.5);
});

test('dispatches on the model kind', () => {
  const c = { frequency: 2, recency: 5, T: 20 };
  expect(probabilityAlive(bg, c)).toBe(bgNbdProbabilityAlive(bg, c));
  expect(expectedPurchases(bg, c, 10)).toBe(bgNbdExpectedPurchases(bg, c, 10));
  expect(probabilityAlive(pareto, c)).toBeLessThan(1);
});

test('P(alive) is explained by the silence compared with the customer’s own purchase rate', () => {
  // Pareto/NBD r = 2, α = 4; x = 6, T = 20: rate (2 + 6)/(4 + 20) = 1/3 a week; silent 12 weeks → 4 expected purchases.
  const regularGoneQuiet = explainProbabilityAlive(pareto, { frequency: 6, recency: 8, T: 20 });
  expect(regularGoneQuiet.silence).toBe(12);
  expect(regularGoneQuiet.purchaseRateIfAlive).toBeCloseTo(1 / 3, 12);
  expect(regularGoneQuiet.purchasesExpectedDuringSilenceIfAlive).toBeCloseTo(4, 12);
  const regularStillBuying = explainProbabilityAlive(pareto, { frequency: 6, recency: 19, T: 20 });
  expect(regularStillBuying.probabilityAlive).toBeGreaterThan(regularGoneQuiet.probabilityAlive);
});
