import { Type } from 'typebox';
import type { Database } from '../../platform/db/database.js';
import type { HttpServer } from '../../platform/http/server.js';
import {
  addShippingOption, addTaxRate, createRegion, deleteRegion, deleteShippingOption, deleteTaxRate, getRegion, listRegions, regionView,
  updateRegion, updateShippingOption, updateTaxRate,
} from './service.js';

const Id = Type.String({ format: 'uuid' });
const Country = Type.String({ pattern: '^[A-Z]{2}$' });
const Rate = Type.Integer({ minimum: 0, maximum: 10_000 });
const Money = Type.Integer({ minimum: 0, maximum: 1_000_000_000 });
const RegionFields = {
  code: Type.String({ pattern: '^[a-z0-9-]{1,32}$' }), name: Type.String({ minLength: 1, maxLength: 100 }), currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  countries: Type.Array(Country, { minItems: 1, maxItems: 250 }), taxInclusive: Type.Optional(Type.Boolean()), defaultTaxRateBps: Type.Optional(Rate),
};
const Band = Type.Object({ upToGrams: Type.Integer({ minimum: 1, maximum: 10_000_000 }), amount: Money }, { additionalProperties: false });
const OptionFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }), kind: Type.Union([Type.Literal('flat'), Type.Literal('weight')]), amount: Type.Optional(Money),
  bands: Type.Optional(Type.Array(Band, { maxItems: 50 })), freeOver: Type.Optional(Type.Union([Money, Type.Null()])), active: Type.Optional(Type.Boolean()),
};
const RegionParams = Type.Object({ id: Id });
const RateParams = Type.Object({ id: Id, rateId: Id });
const OptionParams = Type.Object({ id: Id, optionId: Id });
const permission = 'regions:write';
const tags = ['regions'];

export function regionRoutes(http: HttpServer, database: Database) {
  const tx = database.transaction.bind(database);
  http.get('/admin/regions', { config: { permission }, schema: { tags, summary: 'Regions with their tax rates and shipping options' } },
    async () => ({ items: await listRegions(database.db) }));
  http.post('/admin/regions', {
    config: { permission }, schema: { tags, summary: 'Create a region (a zone of countries)', body: Type.Object(RegionFields, { additionalProperties: false }) },
  }, async (req, reply) => reply.status(201).send(await tx(async (t) => regionView(t, await createRegion(t, req.body)))));
  http.get('/admin/regions/:id', { config: { permission }, schema: { tags, summary: 'A region', params: RegionParams } },
    async (req) => regionView(database.db, await getRegion(database.db, req.params.id)));
  http.patch('/admin/regions/:id', {
    config: { permission }, schema: { tags, summary: 'Change a region', params: RegionParams, body: Type.Partial(Type.Object(RegionFields), { additionalProperties: false, minProperties: 1 }) },
  }, (req) => tx(async (t) => regionView(t, await updateRegion(t, req.params.id, req.body))));
  http.delete('/admin/regions/:id', { config: { permission }, schema: { tags, summary: 'Delete a region with its rates and options', params: RegionParams } },
    async (req, reply) => {
      await tx((t) => deleteRegion(t, req.params.id));
      return reply.status(204).send();
    });

  http.post('/admin/regions/:id/tax-rates', {
    config: { permission },
    schema: {
      tags, summary: 'A tax rate for a country or one of its subdivisions', params: RegionParams,
      body: Type.Object({ country: Country, subdivision: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{1,3}$' })), name: Type.String({ minLength: 1, maxLength: 100 }), rateBps: Rate }, { additionalProperties: false }),
    },
  }, async (req, reply) => reply.status(201).send(await tx((t) => addTaxRate(t, req.params.id, req.body))));
  http.patch('/admin/regions/:id/tax-rates/:rateId', {
    config: { permission },
    schema: { tags, summary: 'Change a tax rate', params: RateParams, body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), rateBps: Type.Optional(Rate) }, { additionalProperties: false, minProperties: 1 }) },
  }, (req) => tx((t) => updateTaxRate(t, req.params.id, req.params.rateId, req.body)));
  http.delete('/admin/regions/:id/tax-rates/:rateId', { config: { permission }, schema: { tags, summary: 'Delete a tax rate', params: RateParams } },
    async (req, reply) => {
      await tx((t) => deleteTaxRate(t, req.params.id, req.params.rateId));
      return reply.status(204).send();
    });

  http.post('/admin/regions/:id/shipping-options', {
    config: { permission }, schema: { tags, summary: 'A shipping option: flat or by weight, optionally free over a subtotal', params: RegionParams, body: Type.Object(OptionFields, { additionalProperties: false }) },
  }, async (req, reply) => reply.status(201).send(await tx((t) => addShippingOption(t, req.params.id, req.body))));
  http.patch('/admin/regions/:id/shipping-options/:optionId', {
    config: { permission }, schema: { tags, summary: 'Change a shipping option', params: OptionParams, body: Type.Partial(Type.Object(OptionFields), { additionalProperties: false, minProperties: 1 }) },
  }, (req) => tx((t) => updateShippingOption(t, req.params.id, req.params.optionId, req.body)));
  http.delete('/admin/regions/:id/shipping-options/:optionId', { config: { permission }, schema: { tags, summary: 'Delete a shipping option', params: OptionParams } },
    async (req, reply) => {
      await tx((t) => deleteShippingOption(t, req.params.id, req.params.optionId));
      return reply.status(204).send();
    });
}
