import { expect, test } from 'vitest';
import { hypergeometric2F1, integrateUnitInterval, logAddExp, logBeta, logGamma, logHypergeometric2F1OneAbove, logSubExp } from './special.js';

test('log-gamma and log-beta agree with factorials', () => {
  expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
  expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  expect(logBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 12);
});

test('log-sum and log-difference of exponentials stay finite far outside exp range', () => {
  expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 14);
  expect(logAddExp(-1000, -1000)).toBeCloseTo(-1000 + Math.log(2), 12);
  expect(logSubExp(Math.log(5), Math.log(3))).toBeCloseTo(Math.log(2), 14);
  expect(logSubExp(-800, -800)).toBe(Number.NEGATIVE_INFINITY);
  expect(logAddExp(Number.NEGATIVE_INFINITY, 1)).toBe(1);
});

test('2F1 matches its closed forms', () => {
  // 2F1(1, 1; 2; z) = −ln(1 − z)/z and 2F1(a, b; b; z) = (1 − z)^(−a).
  for (const z of [0.01, 0.3, 0.7, 0.95]) {
    expect(hypergeometric2F1(1, 1, 2, z)).toBeCloseTo(-Math.log1p(-z) / z, 12);
    expect(hypergeometric2F1(0.7, 2.5, 2.5, z) / (1 - z) ** -0.7).toBeCloseTo(1, 12);
  }
  // A negative-integer parameter makes it a polynomial: 1 − 2bz/c + b(b+1)z²/(c(c+1)).
  const [b, c, z] = [1.5, 2.5, 0.4];
  expect(hypergeometric2F1(-2, b, c, z)).toBeCloseTo(1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1)), 14);
  expect(hypergeometric2F1(1, 1, 2, 0)).toBe(1);
  expect(hypergeometric2F1(1, 1, 2, 1)).toBeNaN();
});

test('log 2F1(a, b; a+1; z) agrees with the plain series and survives b in the hundreds', () => {
  for (const [a, b, z] of [[2.3, 1.6, 0.2], [5.1, 3.2, 0.6], [30.6, 1.6, 0.9], [3.3, 2.5, 0.99]] as const) {
    expect(logHypergeometric2F1OneAbove(a, b, z)).toBeCloseTo(Math.log(hypergeometric2F1(a, b, a + 1, z)), 10);
  }
  // A heavy buyer in the Pareto/NBD: a = r+s+x, b = r+x with x = 120.
  expect(logHypergeometric2F1OneAbove(120.6, 120.0, 0.9)).toBeCloseTo(Math.log(hypergeometric2F1(120.6, 120.0, 121.6, 0.9)), 9);
  // 2F1(a, a+1; a+1; z) = (1 − z)^(−a): 10^400 at a = 400, z = 0.9, beyond double range, yet its log is exact.
  expect(logHypergeometric2F1OneAbove(400, 401, 0.9)).toBeCloseTo(400 * Math.log(10), 9);
  expect(logHypergeometric2F1OneAbove(1, 3, 0.5)).toBeNaN();
});

test('near z = 1 (the continued-fraction branch) log 2F1(1, b; 2; z) matches ((1 − z)^(1−b) − 1)/((b − 1) z)', () => {
  for (const b of [0.4, 1.5, 2]) {
    for (const z of [0.5000001, 0.9, 0.999, 1 - 1e-7]) {
      expect(logHypergeometric2F1OneAbove(1, b, z)).toBeCloseTo(Math.log(((1 - z) ** (1 - b) - 1) / ((b - 1) * z)), 9);
    }
  }
  // Both branches agree across the switch at z = ½.
  expect(logHypergeometric2F1OneAbove(7.3, 2.6, 0.5)).toBeCloseTo(logHypergeometric2F1OneAbove(7.3, 2.6, 0.5000001), 6);
  expect(logHypergeometric2F1OneAbove(3, 2, 0)).toBe(0);
});

test('tanh-sinh quadrature handles endpoint singularities and concentrated mass', () => {
  // ∫ p^(−½) = 2; ∫ (1 − p)^(−0.9) = 10; a Beta(0.3, 80) density integrates to 1.
  expect(integrateUnitInterval((p) => -0.5 * Math.log(p))).toBeCloseTo(2, 10);
  expect(integrateUnitInterval((_, q) => -0.9 * Math.log(q))).toBeCloseTo(10, 8);
  expect(integrateUnitInterval((p, q) => -0.7 * Math.log(p) + 79 * Math.log(q) - logBeta(0.3, 80))).toBeCloseTo(1, 10);
});
