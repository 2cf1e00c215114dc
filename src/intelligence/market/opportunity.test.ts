import { test, expect } from 'vitest';
import { topsis } from './topsis.js';
import { weightedSumScores } from './weighted-sum.js';
import type { Alternative, Criterion } from './criteria.js';

// Demand is a benefit, competition a cost; equal weights.
// Column norms: √(3² + 4² + 0²) = 5 and √(2² + 1² + 2²) = 3.
const criteria: Criterion[] = [
  { name: 'demand', weight: 1, kind: 'benefit' },
  { name: 'competition', weight: 1, kind: 'cost' },
];
const markets: Alternative[] = [
  { id: 'A', values: [3, 2] },
  { id: 'B', values: [4, 1] },
  { id: 'C', values: [0, 2] },
];

test('TOPSIS worked by hand', () => {
  // v = ½ r: A (0.3, 1/3), B (0.4, 1/6), C (0, 1/3); A⁺ = (0.4, 1/6), A⁻ = (0, 1/3).
  const results = topsis(markets, criteria);
  expect(results.map((r) => [r.id, r.rank])).toEqual([['B', 1], ['A', 2], ['C', 3]]);
  const a = results.find((r) => r.id === 'A');
  const dPlus = Math.sqrt(0.1 ** 2 + (1 / 6) ** 2);
  expect(a?.distanceToIdeal).toBeCloseTo(dPlus, 12);
  expect(a?.distanceToAntiIdeal).toBeCloseTo(0.3, 12);
  expect(a?.closeness).toBeCloseTo(0.3 / (0.3 + dPlus), 12); // 0.6068
  expect(a?.closeness).toBeCloseTo(0.6068, 4);
  expect(results[0]?.closeness).toBe(1);
  expect(results[2]?.closeness).toBe(0);
  expect(a?.contributions[1]).toMatchObject({ criterion: 'competition', ideal: 1 / 6, antiIdeal: 1 / 3 });
  expect(a?.contributions[1]?.squaredGapToIdeal).toBeCloseTo(1 / 36, 12);
  expect(a?.weakestCriterion).toBe('competition');
});

test('weighted sum worked by hand, contributions add up to the score', () => {
  // demand min–max: A 0.75, B 1, C 0; competition (cost): A 0, B 1, C 0.
  const results = weightedSumScores(markets, criteria);
  expect(results.map((r) => [r.id, r.score])).toEqual([['B', 1], ['A', 0.375], ['C', 0]]);
  const a = results[1];
  expect(a?.contributions.map((c) => c.contribution)).toEqual([0.375, 0]);
});

test('weights are relative, ties share a rank, a constant criterion changes nothing', () => {
  const scaled = weightedSumScores(markets, criteria.map((c) => ({ ...c, weight: c.weight * 7 })));
  expect(scaled.map((r) => r.score)).toEqual([1, 0.375, 0]);
  const tied = weightedSumScores([{ id: 'X', values: [1, 5] }, { id: 'Y', values: [1, 5] }, { id: 'Z', values: [0, 5] }], criteria);
  expect(tied.map((r) => r.rank)).toEqual([1, 1, 3]);
  expect(() => topsis([{ id: 'X', values: [1] }], criteria)).toThrow(RangeError);
  expect(() => topsis(markets, [{ name: 'x', weight: 0, kind: 'benefit' }, { name: 'y', weight: 0, kind: 'cost' }])).toThrow(/weights/);
});
