import Type from 'typebox';
import type { Database } from '../../platform/db/database.js';
import type { HttpServer } from '../../platform/http/server.js';
import { problem } from '../../platform/http/problem.js';
import { noOrdersYet, submitReview, visibleReviews, type PurchaseCheck } from './reviews.js';
import { HandleParamsSchema } from './review-schemas.js';
import { Json, ReviewBody } from './schemas.js';
import type { CatalogView } from './view.js';

export function reviewRoutes(http: HttpServer, database: Database, view: CatalogView, purchased: PurchaseCheck = noOrdersYet) {
  const tags = ['reviews'];
  http.get('/store/products/:handle/reviews', {
    config: { permission: 'public' },
    schema: { tags, params: HandleParamsSchema, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }, { additionalProperties: false }), response: { 200: Json } },
  }, async (request) => {
    const id = view.byHandle.get(request.params.handle);
    if (!id) throw problem(404, 'product-not-found', `No published product with handle ${JSON.stringify(request.params.handle)}`);
    const rows = await visibleReviews(database.db, id, request.query.limit ?? 20);
    return { items: rows.map((r) => ({ id: r.id, rating: r.rating, title: r.title, body: r.body, authorName: r.authorName, verifiedPurchase: r.verifiedPurchase, createdAt: r.createdAt })) };
  });
  http.post('/store/products/:handle/reviews', {
    config: { permission: 'reviews:write:own' },
    schema: { tags, summary: 'Review a product (one review per customer)', params: HandleParamsSchema, body: ReviewBody, response: { 201: Json } },
  }, async (request, reply) => {
    const actor = request.actor;
    if (!actor) throw problem(401, 'unauthorized', 'Sign in to review a product');
    const review = await database.transaction((tx) => submitReview(tx, { ...request.body, handle: request.params.handle, customerId: actor.id }, purchased));
    await view.refresh([review.productId]);
    return reply.status(201).send(review);
  });
}
