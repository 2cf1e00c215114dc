import { expect, test } from 'vitest';
import { nashSimplex } from './nash-simplex.js';

test('minimises a shifted quadratic', () => {
  const { x, value } = nashSimplex(([a = 0, b = 0]) => (a - 3) ** 2 + 2 * (b + 1) ** 2, [1, 1]);
  expect(x[0]).toBeCloseTo(3, 3);
  expect(x[1]).toBeCloseTo(-1, 3);
  expect(value).toBeLessThan(1e-6);
});

test('treats an infeasible region as very bad, and an infeasible start as unusable', () => {
  const barrier = ([a = 0]: readonly number[]) => (a < 0.5 ? Number.POSITIVE_INFINITY : a * a);
  expect(nashSimplex(barrier, [2]).x[0]).toBeCloseTo(0.5, 2);
  expect(nashSimplex(barrier, [0]).value).toBe(Number.POSITIVE_INFINITY);
});
