import { expect, test } from 'vitest';
import { nelderMead } from './nelder-mead.js';

test('finds the minimum of the Rosenbrock function at (1, 1)', () => {
  const rosenbrock = ([x = 0, y = 0]: readonly number[]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2;
  const min = nelderMead(rosenbrock, [-1.2, 1], { maxIterations: 5000 });
  expect(min.converged).toBe(true);
  expect(min.x[0]).toBeCloseTo(1, 4);
  expect(min.x[1]).toBeCloseTo(1, 4);
});

test('treats a non-finite objective as infinitely bad instead of failing', () => {
  const logBarrier = ([x = 0]: readonly number[]) => (x <= 0 ? Number.NaN : x - Math.log(x));
  const min = nelderMead(logBarrier, [3]);
  expect(min.x[0]).toBeCloseTo(1, 4);
});
