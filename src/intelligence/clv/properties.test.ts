import fc from 'fast-check';
import { expect, test } from 'vitest';
import { bgNbdExpectedPurchases, bgNbdLogLikelihood, bgNbdProbabilityAlive } from './bg-nbd.js';
import { paretoNbdExpectedPurchases, paretoNbdLogLikelihood, paretoNbdProbabilityAlive } from './pareto-nbd.js';

// Parameters over six orders of magnitude, as an optimiser may visit them.
const positive = fc.double({ min: -3, max: 3, noNaN: true }).map((e) => 10 ** e);
const customer = fc
  .record({ frequency: fc.integer({ min: 0, max: 60 }), T: fc.double({ min: 0.5, max: 100, noNaN: true }), share: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ frequency, T, share }) => ({ frequency, T, recency: frequency === 0 ? 0 : share * T }));
const horizon = fc.double({ min: 0.1, max: 200, noNaN: true });

test('BG/NBD stays finite and coherent across the parameter space', () => {
  fc.assert(
    fc.property(positive, positive, positive, positive, customer, horizon, (r, alpha, a, b, c, t) => {
      const p = { r, alpha, a, b };
      expect(Number.isFinite(bgNbdLogLikelihood(p, c))).toBe(true);
      const alive = bgNbdProbabilityAlive(p, c);
      expect(alive).toBeGreaterThanOrEqual(0);
      expect(alive).toBeLessThanOrEqual(1);
      const near = bgNbdExpectedPurchases(p, c, t);
      const far = bgNbdExpectedPurchases(p, c, 2 * t);
      expect(near).toBeGreaterThanOrEqual(-1e-9);
      expect(far).toBeGreaterThanOrEqual(near - 1e-9 * Math.max(1, near));
    }),
    { seed: 20050302, numRuns: 300 },
  );
});

test('Pareto/NBD stays finite and coherent across the parameter space, including α ≫ β and β ≫ α', () => {
  fc.assert(
    fc.property(positive, positive, positive, positive, customer, horizon, (r, alpha, s, beta, c, t) => {
      const p = { r, alpha, s, beta };
      expect(Number.isFinite(paretoNbdLogLikelihood(p, c))).toBe(true);
      const alive = paretoNbdProbabilityAlive(p, c);
      expect(alive).toBeGreaterThanOrEqual(0);
      expect(alive).toBeLessThanOrEqual(1);
      const near = paretoNbdExpectedPurchases(p, c, t);
      expect(near).toBeGreaterThanOrEqual(0);
      expect(paretoNbdExpectedPurchases(p, c, 2 * t)).toBeGreaterThanOrEqual(near);
    }),
    { seed: 19870101, numRuns: 300 },
  );
});
