import { expect, test } from 'vitest';
import type { CompletionResult } from './complete.js';
import { OwnCheckouts } from './own-checkouts.js';

const placed = (orderId: string): CompletionResult => ({ status: 'completed', cartId: 'cart', orderId, number: 1001 });

test('a running checkout is awaited, and its order remembered once placed', async () => {
  const own = new OwnCheckouts();
  let finish!: (r: CompletionResult) => void;
  const running = own.track('test', 'ref-1', () => new Promise((resolve) => (finish = resolve)));
  const asked = own.orderOf('test', 'ref-1');
  finish(placed('order-1'));
  expect(await asked).toBe('order-1');
  expect(await running).toEqual(placed('order-1'));
  expect(await own.orderOf('test', 'ref-1')).toBe('order-1');
  // Known by provider and reference together.
  expect(await own.orderOf('stripe', 'ref-1')).toBeNull();
});

test('a checkout that failed, or waits for the shopper, leaves nothing known', async () => {
  const own = new OwnCheckouts();
  const failed = own.track('test', 'declined', async () => Promise.reject(new Error('declined')));
  const asked = own.orderOf('test', 'declined');
  await expect(failed).rejects.toThrow('declined');
  expect(await asked).toBeNull();
  await own.track('test', '3ds', async () => ({ status: 'requires_action', cartId: 'cart', nextAction: null }));
  expect(await own.orderOf('test', '3ds')).toBeNull();
});

test('only the latest orders are remembered', async () => {
  const own = new OwnCheckouts(2);
  for (const n of [1, 2, 3]) await own.track('test', `ref-${n}`, async () => placed(`order-${n}`));
  expect(await Promise.all([1, 2, 3].map((n) => own.orderOf('test', `ref-${n}`)))).toEqual([null, 'order-2', 'order-3']);
});
