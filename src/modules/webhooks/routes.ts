import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import { deliveryDetail, listDeliveries, redeliver } from './deliveries.js';
import type { WebhookDeps } from './deps.js';
import { createEndpoint, deleteEndpoint, getEndpoint, listEndpoints, rotateSecret, setEndpointEnabled, updateEndpoint } from './endpoints.js';
import type { DELIVERY_STATUSES } from './schema.js';

const tags = ['admin: webhooks'];
const permission = 'webhooks:write';
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Url = Type.String({ minLength: 1, maxLength: 2000, description: 'https URL (http only for localhost unless WEBHOOK_ALLOW_HTTP=true), without credentials' });
const EventTypes = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 100, description: 'Event types to receive: GET /admin/webhooks/event-types' });
const Description = Type.String({ maxLength: 500 });
const Status = Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]) satisfies { anyOf: { const: (typeof DELIVERY_STATUSES)[number] }[] };

const EndpointView = Type.Object({
  id: Type.String(), url: Type.String(), description: Type.String(), eventTypes: Type.Array(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled'), Type.Literal('paused')], { description: 'paused: the circuit breaker opened after consecutive failures; enable to resume' }),
  enabled: Type.Boolean(), pausedAt: Nullable(Type.String()), consecutiveFailures: Type.Integer(), createdAt: Type.String(), updatedAt: Type.String(),
});
const WithSecret = Type.Object({ ...EndpointView.properties, secret: Type.String({ description: 'whsec_… signing secret, shown only in this answer' }) });
const DeliveryView = Type.Object({
  id: Type.String(), endpointId: Type.String(), eventId: Type.String(), eventType: Type.String(), status: Status, attemptCount: Type.Integer(),
  nextAttemptAt: Nullable(Type.String()), lastStatusCode: Nullable(Type.Integer()), lastError: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String()), createdAt: Type.String(),
});
const AttemptView = Type.Object({
  number: Type.Integer(), startedAt: Type.String(), durationMs: Type.Integer(), succeeded: Type.Boolean(),
  statusCode: Nullable(Type.Integer()), error: Nullable(Type.String()), responseSnippet: Nullable(Type.String()),
});

export function webhookRoutes(http: HttpServer, deps: WebhookDeps): void {
  const db = deps.database.db;

  http.get('/admin/webhooks/event-types', {
    config: { permission },
    schema: { tags, summary: 'Event types an endpoint can subscribe to', response: { 200: Type.Object({ items: Type.Array(Type.String()) }) } },
  }, async () => ({ items: [...deps.eventTypes] }));

  http.get('/admin/webhooks', {
    config: { permission },
    schema: { tags, summary: 'Webhook endpoints, newest first (never their secrets)', response: { 200: Type.Object({ items: Type.Array(EndpointView) }) } },
  }, async () => ({ items: await listEndpoints(db) }));

  http.post('/admin/webhooks', {
    config: { permission },
    schema: {
      tags, summary: 'Register an endpoint; its signing secret is shown only in this answer',
      body: Type.Object({ url: Url, eventTypes: EventTypes, description: Type.Optional(Description) }, { additionalProperties: false }),
      response: { 201: WithSecret },
    },
  }, async (req, reply) => reply.status(201).send(await createEndpoint(deps, req.actor!.id, req.body)));

  http.get('/admin/webhooks/:id', {
    config: { permission }, schema: { tags, summary: 'One endpoint', params: Id, response: { 200: EndpointView } },
  }, (req) => getEndpoint(db, req.params.id));

  http.patch('/admin/webhooks/:id', {
    config: { permission },
    schema: {
      tags, summary: 'Change an endpoint\'s URL, event types or description', params: Id,
      body: Type.Object({ url: Type.Optional(Url), eventTypes: Type.Optional(EventTypes), description: Type.Optional(Description) }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: EndpointView },
    },
  }, (req) => updateEndpoint(deps, req.actor!.id, req.params.id, req.body));

  http.delete('/admin/webhooks/:id', {
    config: { permission }, schema: { tags, summary: 'Delete an endpoint with its deliveries and attempts', params: Id, response: { 204: Type.Null() } },
  }, async (req, reply) => {
    await deleteEndpoint(deps, req.actor!.id, req.params.id);
    return reply.status(204).send(null);
  });

  http.post('/admin/webhooks/:id/disable', {
    config: { permission }, schema: { tags, summary: 'Stop queueing and sending to an endpoint', params: Id, response: { 200: EndpointView } },
  }, (req) => setEndpointEnabled(deps, req.actor!.id, req.params.id, false));

  http.post('/admin/webhooks/:id/enable', {
    config: { permission },
    schema: { tags, summary: 'Enable an endpoint; also closes its circuit breaker, so paused deliveries are sent again', params: Id, response: { 200: EndpointView } },
  }, (req) => setEndpointEnabled(deps, req.actor!.id, req.params.id, true));

  http.post('/admin/webhooks/:id/rotate-secret', {
    config: { permission },
    schema: {
      tags, summary: 'New signing secret, shown only in this answer; the previous one also signs for 24 hours', params: Id,
      response: { 200: Type.Object({ ...WithSecret.properties, previousSecretExpiresAt: Type.String() }) },
    },
  }, async (req) => rotateSecret(deps, req.actor!.id, req.params.id));

  http.get('/admin/webhooks/:id/deliveries', {
    config: { permission },
    schema: {
      tags, summary: 'An endpoint\'s deliveries, newest first (page with ?before=<nextCursor>)', params: Id,
      querystring: Type.Object({ status: Type.Optional(Status), before: Type.Optional(Type.String({ format: 'uuid' })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }),
      response: { 200: Type.Object({ items: Type.Array(DeliveryView), nextCursor: Nullable(Type.String()) }) },
    },
  }, (req) => listDeliveries(db, req.params.id, { status: req.query.status, before: req.query.before, limit: req.query.limit ?? 50 }));

  http.get('/admin/webhooks/deliveries/:id', {
    config: { permission },
    schema: {
      tags, summary: 'One delivery with the body sent and every attempt', params: Id,
      response: { 200: Type.Object({ ...DeliveryView.properties, body: Type.Unknown(), attempts: Type.Array(AttemptView) }) },
    },
  }, (req) => deliveryDetail(db, req.params.id));

  http.post('/admin/webhooks/deliveries/:id/redeliver', {
    config: { permission },
    schema: { tags, summary: 'Send a delivery again (a fresh round of attempts)', params: Id, response: { 202: DeliveryView } },
  }, async (req, reply) => reply.status(202).send(await redeliver(db, req.params.id)));
}
