import { describe, expect, test } from 'vitest';
import { rocAuc } from './roc-auc.js';

describe('rocAuc', () => {
  test('perfect ranking is 1, reversed is 0', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
  });
  test('hand-checked case with a tie counts the tied pair as one half', () => {
    // pairs (pos,neg): (0.8,0.1)=1 (0.8,0.5)=1 (0.5,0.1)=1 (0.5,0.5)=0.5 → 3.5/4
    expect(rocAuc([0.1, 0.5, 0.5, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.875, 12);
  });
  test('undefined when one class is missing', () => {
    expect(rocAuc([1, 2], [1, 1])).toBeNaN();
  });
});
