import Type from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import { addAddress, listAddresses, removeAddress, replaceAddress } from './addresses.js';
import { eraseCustomer, exportPersonalData } from './privacy.js';
import { clearSessionCookies } from './http.js';
import type { Identity } from './runtime.js';
import { Password, Uuid } from './schemas.js';

const tags = ['account'];
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const AddressBody = Type.Object({
  label: Type.Optional(Text(50)), name: Text(200), line1: Text(200), line2: Type.Optional(Text(200)), city: Text(100),
  postalCode: Text(20), region: Type.Optional(Text(100)), country: Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2' }),
  phone: Type.Optional(Type.String({ pattern: '^[+0-9 ()-]{3,30}$' })),
}, { additionalProperties: false });
const Nullable = Type.Union([Type.String(), Type.Null()]);
const AddressView = Type.Object({
  id: Type.String(), label: Nullable, name: Type.String(), line1: Type.String(), line2: Nullable, city: Type.String(),
  postalCode: Type.String(), region: Nullable, country: Type.String(), phone: Nullable,
});

export function accountRoutes(http: HttpServer, identity: Identity): void {
  http.get('/store/me/addresses', {
    config: { permission: 'addresses:own' },
    schema: { tags, summary: 'My address book', response: { 200: Type.Object({ items: Type.Array(AddressView) }) } },
  }, async (request) => ({ items: await listAddresses(identity.database.db, request.actor!.id) }));

  http.post('/store/me/addresses', {
    config: { permission: 'addresses:own' },
    schema: { tags, summary: 'Add an address to my address book', body: AddressBody, response: { 201: AddressView } },
  }, async (request, reply) => reply.status(201).send(await addAddress(identity, request.actor!.id, request.body)));

  http.put('/store/me/addresses/:id', {
    config: { permission: 'addresses:own' },
    schema: { tags, summary: 'Replace an address in my address book', params: Type.Object({ id: Uuid }), body: AddressBody, response: { 200: AddressView } },
  }, async (request) => replaceAddress(identity, request.actor!.id, request.params.id, request.body));

  http.delete('/store/me/addresses/:id', {
    config: { permission: 'addresses:own' },
    schema: { tags, summary: 'Remove an address from my address book', params: Type.Object({ id: Uuid }), response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await removeAddress(identity, request.actor!.id, request.params.id);
    return reply.status(204).send(null);
  });

  http.get('/store/me/data-export', {
    config: { permission: 'privacy:own' },
    schema: {
      tags, summary: 'Download everything the shop holds about me, as JSON',
      response: { 200: Type.Object({ exportedAt: Type.String(), account: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: true }) },
    },
  }, async (request, reply) => {
    reply.header('content-disposition', 'attachment; filename="cloudmart-my-data.json"');
    return exportPersonalData(identity, request.actor!.id);
  });

  http.post('/store/me/erase', {
    config: { permission: 'privacy:own' },
    schema: {
      tags, summary: 'Erase my personal data (records needed for accounting are kept without it) and end every session',
      body: Type.Object({ password: Password }, { additionalProperties: false }), response: { 204: Type.Null() },
    },
  }, async (request, reply) => {
    await eraseCustomer(identity, request.actor!.id, request.body.password);
    clearSessionCookies(reply, identity.config);
    return reply.status(204).send(null);
  });
}
