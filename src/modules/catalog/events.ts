import Type from 'typebox';
import { defineEvent } from '../../platform/events/envelope.js';

const ProductRef = Type.Object({ productId: Type.String(), handle: Type.String(), version: Type.Integer() });

export const productCreated = defineEvent({ type: 'product.created', aggregateType: 'product', payload: ProductRef });
export const productUpdated = defineEvent({
  type: 'product.updated', aggregateType: 'product',
  payload: Type.Object({ productId: Type.String(), handle: Type.String(), version: Type.Integer(), changes: Type.Array(Type.String()) }),
});
export const productDeleted = defineEvent({ type: 'product.deleted', aggregateType: 'product', payload: Type.Object({ productId: Type.String(), handle: Type.String() }) });
/** Categories, collections and price lists touch many products at once; readers reload what they cache. */
export const catalogChanged = defineEvent({
  type: 'catalog.changed', aggregateType: 'catalog',
  // kind 'bulk' (seeding, large imports): too many products to list, readers reload everything.
  payload: Type.Object({ kind: Type.Union([Type.Literal('category'), Type.Literal('collection'), Type.Literal('price-list'), Type.Literal('bulk')]), id: Type.String(), productIds: Type.Array(Type.String()) }),
});
export const reviewSubmitted = defineEvent({
  type: 'review.submitted', aggregateType: 'product',
  payload: Type.Object({ reviewId: Type.String(), productId: Type.String(), customerId: Type.String(), rating: Type.Integer({ minimum: 1, maximum: 5 }), title: Type.String(), body: Type.String() }),
});

export const catalogEvents = [productCreated, productUpdated, productDeleted, catalogChanged, reviewSubmitted];
