import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import { ORDER_STATUSES } from './schema.js';
import type { OrderDeps } from './deps.js';
import { listOrders, orderById, orderDetail } from './service.js';
import { returnRoutes } from './returns-routes.js';
import { assertOwner, cancelOrder, deliver, fulfil, refund, ship } from './staff.js';

const OrderParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const List = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })), cursor: Type.Optional(Type.String({ maxLength: 200 })),
  status: Type.Optional(Type.Union(ORDER_STATUSES.map((s) => Type.Literal(s)))),
});
const store = ['orders'];
const admin = ['admin: orders'];

export function orderRoutes(http: HttpServer, deps: OrderDeps) {
  const db = deps.database.db;
  const detail = async (id: string) => orderDetail(db, await orderById(db, id));

  http.get('/store/orders', {
    config: { permission: 'orders:read:own' },
    schema: { tags: store, summary: 'My orders, newest first', querystring: List },
  }, (req) => listOrders(db, { customerId: req.actor!.id, status: req.query.status, before: req.query.cursor, limit: req.query.limit ?? 20 }));

  http.get('/store/orders/:id', {
    config: { permission: 'orders:read:own' },
    schema: { tags: store, summary: 'One of my orders with its lines and timeline', params: OrderParams },
  }, async (req) => {
    const order = await orderById(db, req.params.id).catch(() => null);
    assertOwner(order ?? { customerId: null }, req.actor!.id);
    return orderDetail(db, order!);
  });

  http.get('/admin/orders', {
    config: { permission: 'orders:read:any' },
    schema: { tags: admin, summary: 'All orders, newest first', querystring: List },
  }, (req) => listOrders(db, { status: req.query.status, before: req.query.cursor, limit: req.query.limit ?? 20 }));

  http.get('/admin/orders/:id', {
    config: { permission: 'orders:read:any' },
    schema: { tags: admin, summary: 'An order with lines and timeline', params: OrderParams },
  }, (req) => detail(req.params.id));

  http.post('/admin/orders/:id/cancel', {
    config: { permission: 'orders:write' },
    schema: { tags: admin, summary: 'Cancel: stock goes back, the payment is voided or refunded', params: OrderParams, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }) },
  }, async (req) => {
    await cancelOrder(deps, req.params.id, req.body.reason, req.actor!.id);
    return detail(req.params.id);
  });

  http.post('/admin/orders/:id/refunds', {
    config: { permission: 'orders:write' },
    schema: {
      tags: admin, summary: 'Refund part or all of what was captured, optionally restocking', params: OrderParams,
      body: Type.Object({ amount: Type.Integer({ minimum: 1 }), restock: Type.Optional(Type.Boolean()), reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
    },
  }, async (req) => {
    await refund(deps, req.params.id, req.body, req.actor!.id);
    return detail(req.params.id);
  });

  http.post('/admin/orders/:id/fulfil', {
    config: { permission: 'orders:write' },
    schema: { tags: admin, summary: 'Packed and ready (captures the payment when PAYMENT_CAPTURE=on-fulfilment)', params: OrderParams },
  }, async (req) => {
    await fulfil(deps, req.params.id, req.actor!.id);
    return detail(req.params.id);
  });

  http.post('/admin/orders/:id/ship', {
    config: { permission: 'orders:write' },
    schema: {
      tags: admin, summary: 'Shipped with a carrier and tracking number', params: OrderParams,
      body: Type.Object({ carrier: Type.String({ minLength: 1, maxLength: 100 }), trackingNumber: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
    },
  }, async (req) => {
    await ship(deps, req.params.id, req.body, req.actor!.id);
    return detail(req.params.id);
  });

  http.post('/admin/orders/:id/deliver', {
    config: { permission: 'orders:write' },
    schema: { tags: admin, summary: 'Mark delivered', params: OrderParams },
  }, async (req) => {
    await deliver(deps, req.params.id, req.actor!.id);
    return detail(req.params.id);
  });

  returnRoutes(http, deps);
}
