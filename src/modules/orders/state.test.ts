import { expect, test } from 'vitest';
import fc from 'fast-check';
import { ORDER_STATUSES } from './schema.js';
import { TRANSITIONS, assertTransition, canMove, type OrderStatus } from './state.js';

const status = fc.constantFrom(...ORDER_STATUSES);

test('every walk through the state machine ends in delivered or cancelled and never returns', () => {
  fc.assert(fc.property(fc.array(status, { maxLength: 20 }), (attempts) => {
    let current: OrderStatus = 'pending';
    const seen: OrderStatus[] = [current];
    for (const next of attempts) {
      if (canMove(current, next)) {
        current = next;
        expect(seen).not.toContain(next);
        seen.push(next);
      } else expect(() => assertTransition(current, next)).toThrow(/cannot become/);
    }
  }));
  expect(TRANSITIONS.delivered).toEqual([]);
  expect(TRANSITIONS.cancelled).toEqual([]);
});
