import { Type } from 'typebox';
import type { Database } from '../../platform/db/database.js';
import type { HttpServer } from '../../platform/http/server.js';
import { adjustStock, adjustmentHistory, createLocation, setStockPolicy, stockView } from './admin.js';

const VariantParams = Type.Object({ variantId: Type.String({ format: 'uuid' }) });
const Level = Type.Object({ code: Type.String(), onHand: Type.Integer(), reserved: Type.Integer(), committed: Type.Integer(), available: Type.Integer() });
export const StockView = Type.Object({
  variantId: Type.String(), stocked: Type.Boolean(), backorder: Type.Boolean(), lowThreshold: Type.Integer(),
  onHand: Type.Integer(), reserved: Type.Integer(), committed: Type.Integer(), available: Type.Integer(), locations: Type.Array(Level),
});
const Reason = Type.Union(['received', 'recount', 'damaged', 'lost', 'returned', 'correction'].map((r) => Type.Literal(r)));
const tags = ['inventory'];

export function inventoryRoutes(http: HttpServer, database: Database) {
  http.get('/admin/inventory/:variantId', {
    config: { permission: 'inventory:write' },
    schema: { tags, summary: 'Stock of a variant by location', params: VariantParams, response: { 200: StockView } },
  }, (req) => stockView(database.db, req.params.variantId));

  http.patch('/admin/inventory/:variantId', {
    config: { permission: 'inventory:write' },
    schema: {
      tags, summary: 'Backorder flag and low-stock threshold', params: VariantParams,
      body: Type.Object({ backorder: Type.Optional(Type.Boolean()), lowThreshold: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })) }, { additionalProperties: false }),
      response: { 200: StockView },
    },
  }, (req) => database.transaction(async (tx) => {
    await setStockPolicy(tx, req.params.variantId, req.body, req.actor?.id ?? null);
    return stockView(tx, req.params.variantId);
  }));

  http.post('/admin/inventory/:variantId/adjustments', {
    config: { permission: 'inventory:write' },
    schema: {
      tags, summary: 'Change on-hand stock with a reason (audited)', params: VariantParams,
      body: Type.Object({
        delta: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000, not: { const: 0 } }), reason: Reason,
        note: Type.Optional(Type.String({ maxLength: 500 })), location: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      }, { additionalProperties: false }),
      response: { 201: StockView },
    },
  }, async (req, reply) => {
    const view = await database.transaction((tx) => adjustStock(tx, { variantId: req.params.variantId, ...req.body }, req.actor?.id ?? null));
    return reply.status(201).send(view);
  });

  http.get('/admin/inventory/:variantId/adjustments', {
    config: { permission: 'inventory:write' },
    schema: { tags, summary: 'Adjustment history of a variant', params: VariantParams },
  }, async (req) => ({ items: await adjustmentHistory(database.db, req.params.variantId) }));

  http.post('/admin/inventory/locations', {
    config: { permission: 'inventory:write' },
    schema: {
      tags, summary: 'Add a stock location',
      body: Type.Object({ code: Type.String({ pattern: '^[a-z0-9-]{1,64}$' }), name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.status(201).send(await database.transaction((tx) => createLocation(tx, req.body))));
}
