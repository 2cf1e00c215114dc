import { Type } from 'typebox';
import { defineEvent } from '../../platform/events/envelope.js';

const Line = Type.Object({ variantId: Type.String(), quantity: Type.Integer({ minimum: 1 }) });

export const inventoryReserved = defineEvent({
  type: 'inventory.reserved', aggregateType: 'checkout',
  payload: Type.Object({ checkoutId: Type.String(), lines: Type.Array(Line), expiresAt: Type.String() }),
});
export const inventoryReleased = defineEvent({
  type: 'inventory.released', aggregateType: 'checkout',
  payload: Type.Object({ checkoutId: Type.String(), reason: Type.String(), lines: Type.Array(Line) }),
});
export const inventoryLow = defineEvent({
  type: 'inventory.low', aggregateType: 'variant',
  payload: Type.Object({ variantId: Type.String(), available: Type.Integer(), threshold: Type.Integer() }),
});
export const inventoryAdjusted = defineEvent({
  type: 'inventory.adjusted', aggregateType: 'variant',
  payload: Type.Object({ variantId: Type.String(), locationId: Type.String(), delta: Type.Integer(), reason: Type.String(), onHand: Type.Integer() }),
});

export const inventoryEvents = [inventoryReserved, inventoryReleased, inventoryLow, inventoryAdjusted];
