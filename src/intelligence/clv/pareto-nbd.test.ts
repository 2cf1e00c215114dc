import { expect, test } from 'vitest';
import {
  fitParetoNbd,
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesNewCustomer,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  paretoNbdTotalLogLikelihood,
} from './pareto-nbd.js';
import { logGamma } from './special.js';

/**
 * The likelihood without any 2F1: integrate out λ and μ in closed form and the death time τ
 * numerically (Simpson), L = Γ(r+x)α^r β^s/Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ ].
 */
function likelihoodByQuadrature(p: { r: number; alpha: number; s: number; beta: number }, x: number, tx: number, T: number): number {
  const f = (tau: number): number => (p.alpha + tau) ** -(p.r + x) * (p.beta + tau) ** -(p.s + 1);
  const n = 2000;
  const h = (T - tx) / n;
  let integral = f(tx) + f(T);
  for (let i = 1; i < n; i++) integral += (i % 2 === 1 ? 4 : 2) * f(tx + i * h);
  integral *= h / 3;
  const front = Math.exp(logGamma(p.r + x) - logGamma(p.r) + p.r * Math.log(p.alpha) + p.s * Math.log(p.beta));
  return front * ((p.alpha + T) ** -(p.r + x) * (p.beta + T) ** -p.s + p.s * integral);
}

test('log-likelihood agrees with direct integration over the death time, for α > β, α < β and α = β', () => {
  for (const p of [
    { r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 },
    { r: 1.3, alpha: 7, s: 2.2, beta: 3 },
    { r: 0.8, alpha: 5, s: 0.9, beta: 5 },
  ]) {
    for (const [x, tx, T] of [[0, 0, 30], [2, 12.5, 30], [7, 3, 39]] as const) {
      expect(paretoNbdLogLikelihood(p, { frequency: x, recency: tx, T })).toBeCloseTo(Math.log(likelihoodByQuadrature(p, x, tx, T)), 8);
    }
  }
});

test('P(alive) → 1 as the window closes on the last purchase, and falls with silence', () => {
  const p = { r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 };
  expect(paretoNbdProbabilityAlive(p, { frequency: 0, recency: 0, T: 1e-9 })).toBeCloseTo(1, 8);
  expect(paretoNbdProbabilityAlive(p, { frequency: 3, recency: 20, T: 20 })).toBe(1);
  const recent = paretoNbdProbabilityAlive(p, { frequency: 3, recency: 25, T: 30 });
  const lapsed = paretoNbdProbabilityAlive(p, { frequency: 3, recency: 5, T: 30 });
  expect(lapsed).toBeLessThan(recent);
  expect(recent).toBeLessThan(1);
});

test('expected purchases: closed form, continuity at s = 1, and the new-customer case', () => {
  const p = { r: 2, alpha: 4, s: 3, beta: 6 };
  // rβ/(α(s−1)) · [1 − (β/(β+t))^(s−1)] at t = 6: 2·6/(4·2) · (1 − ¼) = 9/8.
  expect(paretoNbdExpectedPurchasesNewCustomer(p, 6)).toBeCloseTo(9 / 8, 12);
  // s = 1: rβ/α · ln((β+t)/β) = 3 ln 2, approached smoothly from either side.
  const atOne = { ...p, s: 1 };
  expect(paretoNbdExpectedPurchasesNewCustomer(atOne, 6)).toBeCloseTo(3 * Math.log(2), 12);
  expect(paretoNbdExpectedPurchasesNewCustomer({ ...p, s: 1 + 1e-9 }, 6)).toBeCloseTo(3 * Math.log(2), 7);
  expect(paretoNbdExpectedPurchases(p, { frequency: 0, recency: 0, T: 0 }, 6)).toBeCloseTo(9 / 8, 12);
  // A customer who bought at T is surely alive: (r+x)(β+T)/((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)].
  const c = { frequency: 2, recency: 10, T: 10 };
  expect(paretoNbdExpectedPurchases(p, c, 16)).toBeCloseTo(((4 * 16) / (14 * 2)) * (1 - (16 / 32) ** 2), 12);
});

test('the fit is a local maximum of the summed likelihood and round-trips through JSON', () => {
  // Mostly one-off buyers plus a few loyal and a few lapsed regulars: heterogeneous enough for an interior optimum.
  const customers = (
    [
      [0, 0, 30], [0, 0, 30], [0, 0, 30], [0, 0, 30], [0, 0, 25], [0, 0, 25], [0, 0, 20],
      [1, 2, 30], [1, 5, 30], [1, 25, 28], [2, 6, 30], [2, 20, 28],
      [4, 26, 27], [6, 29, 30], [9, 28, 30], [12, 29, 30], [3, 8, 30], [7, 10, 30],
    ] as const
  ).map(([frequency, recency, T]) => ({ frequency, recency, T }));
  const model = fitParetoNbd(customers);
  expect(model.converged).toBe(true);
  expect(model.logLikelihood).toBeCloseTo(paretoNbdTotalLogLikelihood(model, customers), 8);
  for (const key of ['r', 'alpha', 's', 'beta'] as const) {
    for (const factor of [0.98, 1.02]) {
      expect(paretoNbdTotalLogLikelihood({ ...model, [key]: model[key] * factor }, customers)).toBeLessThan(model.logLikelihood);
    }
  }
  expect(JSON.parse(JSON.stringify(model))).toEqual(model);
});
