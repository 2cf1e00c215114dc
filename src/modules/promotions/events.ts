import { Type } from 'typebox';
import { defineEvent } from '../../platform/events/envelope.js';

export const promotionRedeemed = defineEvent({
  type: 'promotion.redeemed', aggregateType: 'promotion',
  payload: Type.Object({ promotionId: Type.String(), orderId: Type.String(), amount: Type.Integer({ minimum: 0 }), currency: Type.String() }),
});
export const promotionReleased = defineEvent({
  type: 'promotion.released', aggregateType: 'promotion',
  payload: Type.Object({ promotionId: Type.String(), orderId: Type.String(), reason: Type.String() }),
});

export const promotionEvents = [promotionRedeemed, promotionReleased];
