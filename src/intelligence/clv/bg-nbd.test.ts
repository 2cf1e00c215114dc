import { expect, test } from 'vitest';
import {
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesNewCustomer,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  bgNbdTotalLogLikelihood,
  expectedIfAliveByQuadrature,
  fitBgNbd,
} from './bg-nbd.js';
import { hypergeometric2F1 } from './special.js';

// Integer parameters make every Γ and B in eq. (6) a small fraction.
const params = { r: 1, alpha: 2, a: 1, b: 2 };

test('log-likelihood of eq. (6), by hand', () => {
  // x = 1, t_x = 1, T = 3: B(1,3)/B(1,2) · 2/5² + B(2,2)/B(1,2) · 2/3² = 2/3 · 2/25 + 1/3 · 2/9 = 258/2025.
  expect(bgNbdLogLikelihood(params, { frequency: 1, recency: 1, T: 3 })).toBeCloseTo(Math.log(258 / 2025), 12);
  // x = 0, T = 3: only the "still buying, nothing yet" term: 2/5.
  expect(bgNbdLogLikelihood(params, { frequency: 0, recency: 0, T: 3 })).toBeCloseTo(Math.log(2 / 5), 12);
  // x = 2, t_x = 2, T = 4: B(1,4)/B(1,2) · Γ(3)·2/(Γ(1)·6³) + B(2,3)/B(1,2) · Γ(3)·2/(Γ(1)·4³) = 1/2 · 4/216 + 1/6 · 4/64.
  expect(bgNbdLogLikelihood(params, { frequency: 2, recency: 2, T: 4 })).toBeCloseTo(Math.log(4 / 432 + 4 / 384), 12);
});

test('P(alive) is 1 without repeat purchases and 18/43 in the hand case', () => {
  expect(bgNbdProbabilityAlive(params, { frequency: 0, recency: 0, T: 50 })).toBe(1);
  // 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)) = 1 / (1 + ½ · (5/3)²).
  expect(bgNbdProbabilityAlive(params, { frequency: 1, recency: 1, T: 3 })).toBeCloseTo(18 / 43, 12);
  // Buying up to the end of the window leaves no evidence of having dropped out.
  expect(bgNbdProbabilityAlive(params, { frequency: 4, recency: 3, T: 3 })).toBeCloseTo(1 / (1 + 1 / 5), 12);
});

test('the Euler-transformed eq. (9) equals the paper’s untransformed form', () => {
  const p = { r: 0.24, alpha: 4.4, a: 0.79, b: 2.43 };
  for (const t of [0.5, 10, 78, 400]) {
    const z = t / (p.alpha + t);
    const paper = ((p.a + p.b - 1) / (p.a - 1)) * (1 - (p.alpha / (p.alpha + t)) ** p.r * hypergeometric2F1(p.r, p.b, p.a + p.b - 1, z));
    expect(bgNbdExpectedPurchasesNewCustomer(p, t)).toBeCloseTo(paper, 10);
  }
  // Early on nobody has dropped out yet: E[X(t)] ≈ t · E[λ] = t r/α.
  expect(bgNbdExpectedPurchasesNewCustomer(p, 1e-6) / 1e-6).toBeCloseTo(p.r / p.alpha, 5);
  // a = 1 is a removable singularity: the value there sits between its neighbours.
  const atOne = bgNbdExpectedPurchasesNewCustomer({ ...p, a: 1 }, 10);
  expect(atOne).toBeCloseTo((bgNbdExpectedPurchasesNewCustomer({ ...p, a: 0.9999 }, 10) + bgNbdExpectedPurchasesNewCustomer({ ...p, a: 1.0001 }, 10)) / 2, 8);
});

test('the closed form agrees with integrating (1 − e^(−λpt))/p over the posterior of λ and p', () => {
  for (const [p, x, T, t] of [
    [{ r: 0.24, alpha: 4.4, a: 0.79, b: 2.43 }, 3, 30, 26],
    [{ r: 0.24, alpha: 4.4, a: 0.79, b: 2.43 }, 0, 0, 78],
    [{ r: 2.5, alpha: 1.2, a: 3.1, b: 0.7 }, 12, 10, 400],
    [{ r: 40, alpha: 2, a: 0.4, b: 5 }, 1, 3, 50],
  ] as const) {
    const c = { frequency: x, recency: T, T };
    // Bought at T, so P(alive) = 1 / (1 + a/(b+x−1)) for x > 0, 1 for x = 0.
    const alive = x === 0 ? 1 : 1 / (1 + p.a / (p.b + x - 1));
    expect(bgNbdExpectedPurchases(p, c, t) / alive).toBeCloseTo(expectedIfAliveByQuadrature(p, x, T, t), 9);
  }
});

test('eq. (10) equals the paper’s form, is E[X(t)] for a brand-new customer, and grows with the horizon', () => {
  const p = { r: 0.24, alpha: 4.4, a: 0.79, b: 2.43 };
  const c = { frequency: 3, recency: 20, T: 30 };
  const z = 26 / (p.alpha + c.T + 26);
  const x = c.frequency;
  const paper =
    (((p.a + p.b + x - 1) / (p.a - 1)) * (1 - ((p.alpha + c.T) / (p.alpha + c.T + 26)) ** (p.r + x) * hypergeometric2F1(p.r + x, p.b + x, p.a + p.b + x - 1, z))) /
    (1 + (p.a / (p.b + x - 1)) * ((p.alpha + c.T) / (p.alpha + c.recency)) ** (p.r + x));
  expect(bgNbdExpectedPurchases(p, c, 26)).toBeCloseTo(paper, 10);
  expect(bgNbdExpectedPurchases(p, { frequency: 0, recency: 0, T: 0 }, 26)).toBeCloseTo(bgNbdExpectedPurchasesNewCustomer(p, 26), 12);
  expect(bgNbdExpectedPurchases(p, c, 52)).toBeGreaterThan(bgNbdExpectedPurchases(p, c, 26));
  expect(bgNbdExpectedPurchases(p, c, 0)).toBe(0);
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
  const model = fitBgNbd(customers);
  expect(model.customers).toBe(18);
  expect(model.converged).toBe(true);
  expect(model.logLikelihood).toBeCloseTo(bgNbdTotalLogLikelihood(model, customers), 8);
  for (const key of ['r', 'alpha', 'a', 'b'] as const) {
    for (const factor of [0.98, 1.02]) {
      expect(bgNbdTotalLogLikelihood({ ...model, [key]: model[key] * factor }, customers)).toBeLessThan(model.logLikelihood);
    }
  }
  expect(JSON.parse(JSON.stringify(model))).toEqual(model);
});
