import { expect, test } from 'vitest';
import { summariseTransactions, toEpochDay } from './summary.js';

const day = (iso: string): Date => new Date(`${iso}T12:00:00Z`);

test('summarises repeat purchases, recency and age in weeks, merging same-day orders', () => {
  const [alice, bob] = summariseTransactions(
    [
      { customerId: 'alice', at: day('2024-01-01'), amount: 10 },
      { customerId: 'bob', at: day('2024-01-08'), amount: 5 },
      { customerId: 'alice', at: day('2024-01-15'), amount: 20 },
      { customerId: 'alice', at: day('2024-01-15'), amount: 4 }, // same day: one transaction of 24
      { customerId: 'alice', at: day('2024-01-29'), amount: 30 },
      { customerId: 'alice', at: day('2024-02-12'), amount: 99 }, // after the cutoff: holdout
    ],
    { calibrationEnd: day('2024-02-05'), holdoutEnd: day('2024-03-01') },
  );
  // Alice: first 1 Jan, repeats 15 Jan (24) and 29 Jan (30); cutoff 5 Feb = day 35.
  expect(alice).toEqual({ customerId: 'alice', frequency: 2, recency: 4, T: 5, monetary: 27, holdoutFrequency: 1, holdoutAmount: 99 });
  // Bob never came back: no repeat spend, recency 0.
  expect(bob).toEqual({ customerId: 'bob', frequency: 0, recency: 0, T: 4, monetary: 0, holdoutFrequency: 0, holdoutAmount: 0 });
});

test('accepts epoch days, other time units, unsorted input, and leaves out customers born after the cutoff', () => {
  const summaries = summariseTransactions(
    [
      { customerId: 7, at: 103.9, amount: 3 },
      { customerId: 7, at: 100, amount: 1 },
      { customerId: 8, at: 111, amount: 1 },
    ],
    { calibrationEnd: 110, timeUnitDays: 1 },
  );
  expect(summaries).toEqual([{ customerId: 7, frequency: 1, recency: 3, T: 10, monetary: 3 }]);
  expect(toEpochDay(new Date('1970-01-03T23:59:00Z'))).toBe(2);
});
