import { Type } from 'typebox';
import { defineEvent } from '../../platform/events/envelope.js';

const PaymentRef = Type.Object({
  paymentId: Type.String(), orderId: Type.Union([Type.String(), Type.Null()]), cartId: Type.String(),
  amount: Type.Integer({ minimum: 0 }), currency: Type.String(), provider: Type.String(),
});
export const paymentAuthorized = defineEvent({ type: 'payment.authorized', aggregateType: 'payment', payload: PaymentRef });
export const paymentCaptured = defineEvent({ type: 'payment.captured', aggregateType: 'payment', payload: PaymentRef });
export const paymentFailed = defineEvent({ type: 'payment.failed', aggregateType: 'payment', payload: Type.Intersect([PaymentRef, Type.Object({ reason: Type.String() })]) });
export const paymentRefunded = defineEvent({ type: 'payment.refunded', aggregateType: 'payment', payload: PaymentRef });
export const paymentVoided = defineEvent({ type: 'payment.voided', aggregateType: 'payment', payload: PaymentRef });

export const paymentEvents = [paymentAuthorized, paymentCaptured, paymentFailed, paymentRefunded, paymentVoided];
