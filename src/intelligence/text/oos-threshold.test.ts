import { test, expect } from 'vitest';
import { chooseOutOfScopeThreshold } from './oos-threshold.js';

const inScope = (confidence: number, correct = true) => ({ isOutOfScope: false, confidence, predictedOutOfScope: false, correct });
const outOfScope = (confidence: number) => ({ isOutOfScope: true, confidence, predictedOutOfScope: false, correct: false });

test('a cut that separates the two groups is found', () => {
  const items = [inScope(0.9), inScope(0.8), inScope(0.7), outOfScope(0.3), outOfScope(0.4)];
  const t = chooseOutOfScopeThreshold(items);
  expect(t).toBeGreaterThan(0.4);
  expect(t).toBeLessThanOrEqual(0.7);
});

test('accuracy objective counts queries; balanced objective counts rates', () => {
  // Rejecting at 0.6 loses one of four in-scope queries to catch one of one out-of-scope query.
  const items = [inScope(0.9), inScope(0.9), inScope(0.9), inScope(0.5), outOfScope(0.55)];
  expect(chooseOutOfScopeThreshold(items, 'accuracy')).toBe(0);
  // balanced at cut 0.55: 0.75 + 1 > 1 + 0 → reject below ~0.55.
  expect(chooseOutOfScopeThreshold(items, 'balanced')).toBeGreaterThan(0.5);
});

test('without out-of-scope examples nothing is rejected', () => {
  expect(chooseOutOfScopeThreshold([inScope(0.2), inScope(0.9)])).toBe(0);
});
