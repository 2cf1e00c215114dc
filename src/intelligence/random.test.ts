import { expect, test } from 'vitest';
import { seededRandom } from './random.js';

test('the same seed gives the same sequence, another seed another', () => {
  const a = seededRandom(42), b = seededRandom(42), c = seededRandom(43);
  const seqA = Array.from({ length: 5 }, () => a.next());
  expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
  expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
});

test('sample draws distinct items', () => {
  const r = seededRandom(1);
  const s = r.sample([1, 2, 3, 4, 5, 6], 4);
  expect(new Set(s).size).toBe(4);
});
