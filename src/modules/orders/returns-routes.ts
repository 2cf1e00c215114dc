import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import type { OrderDeps } from './deps.js';
import { approveReturn, listReturns, receiveReturn, refundReturn, rejectReturn, requestReturn, returnsOfOrder, returnView } from './returns.js';
import { RETURN_REASONS, RETURN_STATUSES } from './schema.js';
import { orderById } from './service.js';
import { assertOwner } from './staff.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ReturnLine = Type.Object({
  id: Type.String(), orderLineId: Type.String(), variantId: Type.String(), quantity: Type.Integer(),
  reason: Type.String(), note: Type.String(), restocked: Type.Boolean(),
});
const ReturnView = Type.Object({
  id: Type.String(), orderId: Type.String(), customerId: Type.Union([Type.String(), Type.Null()]), status: Type.String(),
  note: Type.String(), decisionNote: Type.String(), refundedAmount: Type.Integer(), createdAt: Type.String(), updatedAt: Type.String(),
  lines: Type.Array(ReturnLine),
});
const ReturnList = Type.Object({ items: Type.Array(ReturnView) });
const store = ['orders'];
const admin = ['admin: returns'];

export function returnRoutes(http: HttpServer, deps: OrderDeps) {
  const db = deps.database.db;

  http.post('/store/orders/:id/returns', {
    config: { permission: 'returns:own' },
    schema: {
      tags: store, summary: 'Ask to return items of a delivered order (within RETURN_WINDOW_DAYS of delivery)', params: Id,
      body: Type.Object({
        lines: Type.Array(Type.Object({
          orderLineId: Type.String({ format: 'uuid' }), quantity: Type.Integer({ minimum: 1, maximum: 10_000 }),
          reason: Type.Union(RETURN_REASONS.map((r) => Type.Literal(r))), note: Type.Optional(Type.String({ maxLength: 1000 })),
        }, { additionalProperties: false }), { minItems: 1, maxItems: 100 }),
        note: Type.Optional(Type.String({ maxLength: 2000 })),
      }, { additionalProperties: false }),
      response: { 201: ReturnView },
    },
  }, async (req, reply) => reply.status(201).send(await requestReturn(deps, req.actor!.id, req.params.id, req.body)));

  http.get('/store/orders/:id/returns', {
    config: { permission: 'returns:own' },
    schema: { tags: store, summary: 'The returns of one of my orders', params: Id, response: { 200: ReturnList } },
  }, async (req) => {
    const order = await orderById(db, req.params.id).catch(() => null);
    assertOwner(order ?? { customerId: null }, req.actor!.id);
    return { items: await returnsOfOrder(db, req.params.id) };
  });

  http.get('/admin/returns', {
    config: { permission: 'orders:read:any' },
    schema: {
      tags: admin, summary: 'Returns, newest first',
      querystring: Type.Object({ status: Type.Optional(Type.Union(RETURN_STATUSES.map((s) => Type.Literal(s)))), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }),
      response: { 200: ReturnList },
    },
  }, (req) => listReturns(db, { status: req.query.status, limit: req.query.limit ?? 50 }));

  http.get('/admin/returns/:id', {
    config: { permission: 'orders:read:any' },
    schema: { tags: admin, summary: 'One return with its lines', params: Id, response: { 200: ReturnView } },
  }, (req) => returnView(db, req.params.id));

  http.get('/admin/orders/:id/returns', {
    config: { permission: 'orders:read:any' },
    schema: { tags: admin, summary: 'The returns of an order', params: Id, response: { 200: ReturnList } },
  }, async (req) => {
    await orderById(db, req.params.id);
    return { items: await returnsOfOrder(db, req.params.id) };
  });

  http.post('/admin/returns/:id/approve', {
    config: { permission: 'orders:write' },
    schema: { tags: admin, summary: 'Approve a requested return (body {} or { note })', params: Id, body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }), response: { 200: ReturnView } },
  }, (req) => approveReturn(deps, req.params.id, req.actor!.id, req.body.note ?? ''));

  http.post('/admin/returns/:id/reject', {
    config: { permission: 'orders:write' },
    schema: { tags: admin, summary: 'Reject a return, with the reason the customer is told', params: Id, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }), response: { 200: ReturnView } },
  }, (req) => rejectReturn(deps, req.params.id, req.body.reason, req.actor!.id));

  http.post('/admin/returns/:id/receive', {
    config: { permission: 'orders:write' },
    schema: {
      tags: admin, summary: 'The parcel arrived: restock each line (default) or not', params: Id,
      body: Type.Object({ lines: Type.Optional(Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), restock: Type.Boolean() }, { additionalProperties: false }), { maxItems: 100 })) }, { additionalProperties: false }),
      response: { 200: ReturnView },
    },
  }, (req) => receiveReturn(deps, req.params.id, req.body, req.actor!.id));

  http.post('/admin/returns/:id/refund', {
    config: { permission: 'orders:write' },
    schema: {
      tags: admin, summary: 'Refund a received return: the value of its lines, or the amount given (never above captured minus refunded)', params: Id,
      body: Type.Object({ amount: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
      response: { 200: ReturnView },
    },
  }, (req) => refundReturn(deps, req.params.id, req.body, req.actor!.id));
}
