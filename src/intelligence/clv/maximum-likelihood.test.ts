import { expect, test } from 'vitest';
import { groupIdentical, indexCustomers, maximiseOverPositive } from './maximum-likelihood.js';

const customers = [
  { frequency: 0, recency: 0, T: 5 },
  { frequency: 2, recency: 3, T: 5 },
  { frequency: 0, recency: 0, T: 5 },
  { frequency: 2, recency: 3, T: 4 },
];

test('identical customers are counted once with a weight; times and frequencies are indexed', () => {
  expect(groupIdentical(customers).map((g) => g.weight)).toEqual([2, 1, 1]);
  const indexed = indexCustomers(customers);
  expect(indexed.distinctFrequencies).toEqual([0, 2]);
  expect(indexed.distinctTimes).toEqual([0, 5, 3, 4]);
  expect([...indexed.weight]).toEqual([2, 1, 1]);
  expect([...indexed.recencyIndex]).toEqual([0, 2, 2]);
  expect([...indexed.tIndex]).toEqual([1, 1, 3]);
});

test('finds the maximum of a function of positive parameters, on the natural scale', () => {
  // Gamma(3, 2) log-density kernel in θ plus an independent one in φ: modes at θ = 1, φ = 4.
  const fit = maximiseOverPositive(([theta = 1, phi = 1]) => 2 * Math.log(theta) - 2 * theta + 4 * Math.log(phi) - phi, [0.2, 20], {});
  expect(fit.converged).toBe(true);
  expect(fit.params[0]).toBeCloseTo(1, 4);
  expect(fit.params[1]).toBeCloseTo(4, 4);
  expect(fit.logLikelihood).toBeCloseTo(-2 + 4 * Math.log(4) - 4, 8);
});
