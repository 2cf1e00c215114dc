import { expect, test } from 'vitest';
import { batched, firstOfEach, grouped, onePer } from './grouped.js';

/** A run that records the groups it was given and answers each item with its double, after a tick. */
function doubling(maxSize: number) {
  const groups: number[][] = [];
  const call = grouped(async (items: number[]) => {
    groups.push(items);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return items.map((n) => (n < 0 ? { status: 'rejected' as const, reason: new Error(`negative ${n}`) } : { status: 'fulfilled' as const, value: n * 2 }));
  }, { maxSize });
  return { groups, call };
}

test('a call that finds nothing running runs alone, at once; the calls that come in meanwhile go together next', async () => {
  const { groups, call } = doubling(10);
  const first = call(1);
  const rest = [2, 3, 4].map(call);
  expect(await Promise.all([first, ...rest])).toEqual([2, 4, 6, 8]);
  expect(groups).toEqual([[1], [2, 3, 4]]);
});

test('no group is larger than maxSize, and every call is answered', async () => {
  const { groups, call } = doubling(2);
  const answers = await Promise.all([1, 2, 3, 4, 5, 6].map(call));
  expect(answers).toEqual([2, 4, 6, 8, 10, 12]);
  expect(groups).toEqual([[1], [2, 3], [4, 5], [6]]);
});

test('each call gets its own answer: one item refused does not fail the others', async () => {
  const { call } = doubling(10);
  const answers = await Promise.allSettled([call(1), call(-2), call(3)]);
  expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect((answers[1] as PromiseRejectedResult).reason.message).toBe('negative -2');
});

test('a run that throws fails its group, and the next group still runs', async () => {
  let runs = 0;
  const call = grouped(async (items: string[]) => {
    runs++;
    if (runs === 1) throw new Error('database gone');
    return items.map((value) => ({ status: 'fulfilled' as const, value }));
  }, { maxSize: 10 });
  await expect(call('a')).rejects.toThrow('database gone');
  expect(await call('b')).toBe('b');
});

test('batched: a lone call goes to the one-item form, a group to the set-based one, and a group it fails goes item by item', async () => {
  const seen: string[] = [];
  const one = async (n: number) => {
    seen.push(`one ${n}`);
    if (n === 13) throw new Error('thirteen');
    return n * 10;
  };
  const many = async (items: number[]) => {
    seen.push(`many ${items.join(',')}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (items.includes(13)) throw new Error('a group with thirteen');
    return items.map((n) => n * 10);
  };
  const call = batched(one, many, { maxSize: 10 });
  expect(await Promise.all([1, 2, 3].map(call))).toEqual([10, 20, 30]);
  expect(seen).toEqual(['one 1', 'many 2,3']);
  seen.length = 0;
  const answers = await Promise.allSettled([4, 5, 13, 6].map(call));
  expect(answers.map((a) => (a.status === 'fulfilled' ? a.value : (a.reason as Error).message))).toEqual([40, 50, 'thirteen', 60]);
  expect(seen).toEqual(['one 4', 'many 5,13,6', 'one 5', 'one 13', 'one 6']);
});

test('firstOfEach keeps the first item of each key', () => {
  const items = [{ k: 'a', n: 1 }, { k: 'b', n: 2 }, { k: 'a', n: 3 }];
  expect([...firstOfEach(items, (i) => i.k)]).toEqual([items[0], items[1]]);
});

test('onePer builds once for each owner', () => {
  let built = 0;
  const counterOf = onePer((owner: { name: string }) => ({ owner: owner.name, n: ++built }));
  const a = { name: 'a' };
  const b = { name: 'b' };
  expect([counterOf(a), counterOf(b), counterOf(a)]).toEqual([{ owner: 'a', n: 1 }, { owner: 'b', n: 2 }, { owner: 'a', n: 1 }]);
  expect(counterOf(a)).toBe(counterOf(a));
});
