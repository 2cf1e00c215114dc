import { desc, eq, lt } from 'drizzle-orm';
import Type from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import { devMailbox } from '../../platform/mail/schema.js';
import { auditLog } from '../../platform/security/schema.js';
import { changeRole, createStaffUser, getUser, listUsers, setStatus, userView } from './accounts.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.js';
import { PERMISSIONS, ROLES } from './permissions.js';
import type { Identity } from './runtime.js';
import { Email, Name, NewPassword, Uuid, UserView } from './schemas.js';

const tags = ['identity-admin'];
const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
const PermissionName = Type.String({ minLength: 1, maxLength: 100 });
const ApiKeyView = Type.Object({
  id: Type.String(), name: Type.String(), prefix: Type.String(), permissions: Type.Array(Type.String()),
  createdAt: Type.String(), lastUsedAt: Type.Union([Type.String(), Type.Null()]), revokedAt: Type.Union([Type.String(), Type.Null()]),
});
const AuditEntryView = Type.Object({
  seq: Type.Integer(), id: Type.String(), occurredAt: Type.String(), action: Type.String(), actor: Type.Union([Type.String(), Type.Null()]),
  subjectType: Type.String(), subjectId: Type.String(), data: Type.Record(Type.String(), Type.Unknown()), prevHash: Type.String(), hash: Type.String(),
});
const Page = Type.Object({ after: Type.Optional(Uuid), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) });

export function adminRoutes(http: HttpServer, identity: Identity): void {
  http.get('/admin/users', {
    config: { permission: 'users:write' },
    schema: { tags, summary: 'Accounts, oldest first, cursor-paginated', querystring: Type.Object({ ...Page.properties, role: Type.Optional(Role) }), response: { 200: Type.Object({ items: Type.Array(UserView), nextCursor: Type.Union([Type.String(), Type.Null()]) }) } },
  }, async (request) => listUsers(identity, { after: request.query.after, limit: request.query.limit ?? 50, role: request.query.role }));

  http.post('/admin/users', {
    config: { permission: 'users:write' },
    schema: { tags, summary: 'Create a staff, support or admin account', body: Type.Object({ email: Email, password: NewPassword, name: Name, role: Role }, { additionalProperties: false }), response: { 201: UserView } },
  }, async (request, reply) => reply.status(201).send(await createStaffUser(identity.database, request.actor!.id, request.body)));

  http.get('/admin/users/:id', {
    config: { permission: 'users:write' },
    schema: { tags, summary: 'One account', params: Type.Object({ id: Uuid }), response: { 200: UserView } },
  }, async (request) => userView(await getUser(identity.database.db, request.params.id)));

  http.put('/admin/users/:id/role', {
    config: { permission: 'users:write' },
    schema: { tags, summary: 'Change an account\'s role (audited)', params: Type.Object({ id: Uuid }), body: Type.Object({ role: Role }, { additionalProperties: false }), response: { 200: UserView } },
  }, async (request) => changeRole(identity, request.actor!.id, request.params.id, request.body.role));

  http.put('/admin/users/:id/status', {
    config: { permission: 'users:write' },
    schema: {
      tags, summary: 'Disable an account (ends its sessions at once) or enable it again (audited)', params: Type.Object({ id: Uuid }),
      body: Type.Object({ status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]) }, { additionalProperties: false }), response: { 200: UserView },
    },
  }, async (request) => setStatus(identity, request.actor!.id, request.params.id, request.body.status));

  http.get('/admin/permissions', {
    config: { permission: 'users:write' },
    schema: { tags, summary: 'Every named permission and what it allows', response: { 200: Type.Record(Type.String(), Type.String()) } },
  }, async () => PERMISSIONS);

  http.get('/admin/api-keys', {
    config: { permission: 'api-keys:write' },
    schema: { tags, summary: 'API keys (never their secrets)', response: { 200: Type.Object({ items: Type.Array(ApiKeyView) }) } },
  }, async () => ({ items: await listApiKeys(identity) }));

  http.post('/admin/api-keys', {
    config: { permission: 'api-keys:write' },
    schema: {
      tags, summary: 'Create an API key limited to the given permissions; the key is shown only in this answer',
      body: Type.Object({ name: Name, permissions: Type.Array(PermissionName, { minItems: 1, maxItems: 50 }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ ...ApiKeyView.properties, key: Type.String() }) },
    },
  }, async (request, reply) => reply.status(201).send(await createApiKey(identity, request.actor!.id, request.body)));

  http.delete('/admin/api-keys/:id', {
    config: { permission: 'api-keys:write' },
    schema: { tags, summary: 'Revoke an API key', params: Type.Object({ id: Uuid }), response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await revokeApiKey(identity, request.actor!.id, request.params.id);
    return reply.status(204).send(null);
  });

  http.get('/admin/audit-log', {
    config: { permission: 'audit:read' },
    schema: {
      tags, summary: 'Audit entries, newest first (page with ?before=<seq>)',
      querystring: Type.Object({ before: Type.Optional(Type.Integer({ minimum: 1 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
      response: { 200: Type.Object({ items: Type.Array(AuditEntryView) }) },
    },
  }, async (request) => {
    const rows = await identity.database.db.select().from(auditLog).where(request.query.before ? lt(auditLog.seq, request.query.before) : undefined)
      .orderBy(desc(auditLog.seq)).limit(request.query.limit ?? 100);
    return { items: rows.map((r) => ({ ...r, occurredAt: new Date(r.occurredAt).toISOString(), data: r.data as Record<string, unknown> })) };
  });

  http.get('/admin/dev-mailbox', {
    config: { permission: 'dev-mailbox:read' },
    schema: {
      tags, summary: 'Mail the shop sent while no SMTP server is configured, newest first',
      querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 254 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), to: Type.String(), subject: Type.String(), template: Type.String(), text: Type.String(), sentAt: Type.String() })) }) },
    },
  }, async (request) => {
    const rows = await identity.database.db.select().from(devMailbox).where(request.query.to ? eq(devMailbox.to, request.query.to.toLowerCase()) : undefined)
      .orderBy(desc(devMailbox.sentAt), desc(devMailbox.id)).limit(request.query.limit ?? 50);
    return { items: rows.map((r) => ({ id: r.id, to: r.to, subject: r.subject, template: r.template, text: r.text, sentAt: new Date(r.sentAt).toISOString() })) };
  });
}
