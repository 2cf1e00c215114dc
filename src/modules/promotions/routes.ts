import { Type } from 'typebox';
import type { Database } from '../../platform/db/database.js';
import type { HttpServer } from '../../platform/http/server.js';
import { createPromotion, deletePromotion, getPromotion, listPromotions, redemptionsOf, updatePromotion } from './service.js';

const Id = Type.String({ format: 'uuid' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Targets = Type.Object({
  productIds: Type.Optional(Type.Array(Id, { maxItems: 500 })), categoryIds: Type.Optional(Type.Array(Id, { maxItems: 500 })), collectionIds: Type.Optional(Type.Array(Id, { maxItems: 500 })),
}, { additionalProperties: false });
const fields = {
  code: Type.Optional(Nullable(Type.String({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }))),
  title: Type.String({ minLength: 1, maxLength: 200 }),
  kind: Type.Union([Type.Literal('percentage'), Type.Literal('fixed'), Type.Literal('free_shipping'), Type.Literal('bxgy')]),
  value: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
  currency: Type.Optional(Nullable(Type.String({ pattern: '^[A-Z]{3}$' }))),
  buyQuantity: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1000 }))),
  getQuantity: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1000 }))),
  minSubtotal: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
  targets: Type.Optional(Targets),
  startsAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  endsAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  active: Type.Optional(Type.Boolean()),
  usageLimit: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1_000_000_000 }))),
  perCustomerLimit: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1_000_000 }))),
};
const PromotionView = Type.Object({
  id: Type.String(), code: Nullable(Type.String()), title: Type.String(), kind: Type.String(), value: Type.Integer(), currency: Nullable(Type.String()),
  buyQuantity: Nullable(Type.Integer()), getQuantity: Nullable(Type.Integer()), minSubtotal: Type.Integer(), targets: Targets,
  startsAt: Nullable(Type.String()), endsAt: Nullable(Type.String()), active: Type.Boolean(), usageLimit: Nullable(Type.Integer()),
  perCustomerLimit: Nullable(Type.Integer()), used: Type.Integer(), createdAt: Type.String(), updatedAt: Type.String(),
});
const Params = Type.Object({ id: Id });
const tags = ['promotions'];

export function promotionRoutes(http: HttpServer, database: Database) {
  http.get('/admin/promotions', {
    config: { permission: 'promotions:write' },
    schema: {
      tags, summary: 'Promotions, newest first', querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), after: Type.Optional(Id) }),
      response: { 200: Type.Object({ items: Type.Array(PromotionView), nextCursor: Nullable(Type.String()) }) },
    },
  }, (req) => listPromotions(database.db, { limit: req.query.limit ?? 50, after: req.query.after }));

  http.post('/admin/promotions', {
    config: { permission: 'promotions:write' },
    schema: { tags, summary: 'Create a code or (without code) an automatic promotion', body: Type.Object(fields, { additionalProperties: false }), response: { 201: PromotionView } },
  }, async (req, reply) => reply.status(201).send(await database.transaction((tx) => createPromotion(tx, req.body))));

  http.get('/admin/promotions/:id', {
    config: { permission: 'promotions:write' },
    schema: { tags, summary: 'A promotion with its use count', params: Params, response: { 200: PromotionView } },
  }, (req) => getPromotion(database.db, req.params.id));

  http.patch('/admin/promotions/:id', {
    config: { permission: 'promotions:write' },
    schema: { tags, summary: 'Change a promotion', params: Params, body: Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 }), response: { 200: PromotionView } },
  }, (req) => database.transaction((tx) => updatePromotion(tx, req.params.id, req.body)));

  http.delete('/admin/promotions/:id', {
    config: { permission: 'promotions:write' },
    schema: { tags, summary: 'Delete a promotion no order has used', params: Params },
  }, async (req, reply) => {
    await database.transaction((tx) => deletePromotion(tx, req.params.id));
    return reply.status(204).send();
  });

  http.get('/admin/promotions/:id/redemptions', {
    config: { permission: 'promotions:write' },
    schema: { tags, summary: 'Orders that used the promotion (released ones are of cancelled orders)', params: Params },
  }, async (req) => {
    await getPromotion(database.db, req.params.id);
    return { items: await redemptionsOf(database.db, req.params.id) };
  });
}
