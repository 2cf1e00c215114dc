import { Type } from 'typebox';
import { defineEvent } from '../../platform/events/envelope.js';

const OrderRef = Type.Object({
  orderId: Type.String(), number: Type.Integer(), customerId: Type.Union([Type.String(), Type.Null()]), email: Type.String(),
  total: Type.Integer({ minimum: 0 }), currency: Type.String(), paymentId: Type.String(),
  /** The products on the order (set on order.placed), e.g. for the catalog's verified-purchase reviews. */
  productIds: Type.Optional(Type.Array(Type.String())),
});
export const orderPlaced = defineEvent({ type: 'order.placed', aggregateType: 'order', payload: OrderRef });
export const orderPaid = defineEvent({ type: 'order.paid', aggregateType: 'order', payload: OrderRef });
export const orderCancelled = defineEvent({ type: 'order.cancelled', aggregateType: 'order', payload: Type.Intersect([OrderRef, Type.Object({ reason: Type.String() })]) });
export const orderFulfilled = defineEvent({ type: 'order.fulfilled', aggregateType: 'order', payload: OrderRef });
export const orderShipped = defineEvent({
  type: 'order.shipped', aggregateType: 'order',
  payload: Type.Intersect([OrderRef, Type.Object({ carrier: Type.Union([Type.String(), Type.Null()]), trackingNumber: Type.Union([Type.String(), Type.Null()]) })]),
});
export const orderDelivered = defineEvent({ type: 'order.delivered', aggregateType: 'order', payload: OrderRef });


const ReturnRef = Type.Object({
  returnId: Type.String(), orderId: Type.String(), number: Type.Integer(), customerId: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(), amount: Type.Optional(Type.Integer({ minimum: 0 })), reason: Type.Optional(Type.String()),
});
export const returnRequested = defineEvent({ type: 'return.requested', aggregateType: 'return', payload: ReturnRef });
export const returnApproved = defineEvent({ type: 'return.approved', aggregateType: 'return', payload: ReturnRef });
export const returnRejected = defineEvent({ type: 'return.rejected', aggregateType: 'return', payload: ReturnRef });
export const returnReceived = defineEvent({ type: 'return.received', aggregateType: 'return', payload: ReturnRef });
export const returnRefunded = defineEvent({ type: 'return.refunded', aggregateType: 'return', payload: ReturnRef });

export const returnEvents = [returnRequested, returnApproved, returnRejected, returnReceived, returnRefunded];

export const orderEvents = [orderPlaced, orderPaid, orderCancelled, orderFulfilled, orderShipped, orderDelivered, ...returnEvents];
