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

export const orderEvents = [orderPlaced, orderPaid, orderCancelled, orderFulfilled, orderShipped, orderDelivered];
