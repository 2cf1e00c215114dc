import { desc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db/database.js';
import { Problem, problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { appendAudit } from '../../platform/security/audit.js';
import type { WebhookDeps } from './deps.js';
import { webhookEndpoints } from './schema.js';
import { newWebhookSecret } from './signing.js';

/** After a rotation the previous secret keeps signing for this long, so receivers can switch without dropping a delivery. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 3600 * 1000;

type EndpointRow = typeof webhookEndpoints.$inferSelect;

export interface EndpointView {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  status: 'active' | 'disabled' | 'paused';
  enabled: boolean;
  pausedAt: string | null;
  consecutiveFailures: number;
  createdAt: string;
  updatedAt: string;
}

const iso = (value: string | null) => (value ? new Date(value).toISOString() : null);

export const endpointView = (row: EndpointRow): EndpointView => ({
  id: row.id, url: row.url, description: row.description, eventTypes: row.eventTypes,
  status: !row.enabled ? 'disabled' : row.pausedAt ? 'paused' : 'active',
  enabled: row.enabled, pausedAt: iso(row.pausedAt), consecutiveFailures: row.consecutiveFailures,
  createdAt: iso(row.createdAt)!, updatedAt: iso(row.updatedAt)!,
});

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https only (plain http for localhost, or anywhere with WEBHOOK_ALLOW_HTTP); never credentials in the URL. */
export function checkEndpointUrl(raw: string, allowHttp: boolean): string {
  const invalid = (message: string) => new Problem(422, 'invalid-webhook-url', message, { url: raw }, [{ in: 'body', field: 'url', message }]);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('The URL is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(`The URL must use https (got ${url.protocol.replace(':', '')})`);
  if (url.protocol === 'http:' && !allowHttp && !LOCAL_HOSTS.has(url.hostname)) {
    throw invalid('The URL must use https; plain http is allowed only for localhost (or with WEBHOOK_ALLOW_HTTP=true)');
  }
  if (url.username || url.password) throw invalid('The URL must not carry credentials; the signature authenticates each delivery');
  if (url.hash) throw invalid('The URL must not have a #fragment');
  return url.toString();
}

function checkEventTypes(deps: WebhookDeps, types: readonly string[]): string[] {
  const known = new Set(deps.eventTypes);
  const unknown = types.filter((t) => !known.has(t));
  if (unknown.length > 0) {
    throw new Problem(422, 'unknown-event-type', `No such event type: ${unknown.join(', ')}`, { unknown },
      unknown.map((t) => ({ in: 'body', field: `eventTypes.${types.indexOf(t)}`, message: `unknown event type ${t}; GET /admin/webhooks/event-types lists them` })));
  }
  return [...new Set(types)].sort();
}

const sealContext = (id: string) => `webhook-endpoint:${id}`;

async function lockedEndpoint(tx: Tx, id: string): Promise<EndpointRow> {
  const [row] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).for('update');
  if (!row) throw problem(404, 'not-found', `No webhook endpoint ${id}`);
  return row;
}

export async function createEndpoint(deps: WebhookDeps, adminId: string, input: { url: string; eventTypes: string[]; description?: string }): Promise<EndpointView & { secret: string }> {
  const url = checkEndpointUrl(input.url, deps.config.webhookAllowHttp);
  const eventTypes = checkEventTypes(deps, input.eventTypes);
  const id = newId();
  const secret = newWebhookSecret();
  const row = await deps.database.transaction(async (tx) => {
    const [created] = await tx.insert(webhookEndpoints).values({
      id, url, eventTypes, description: input.description ?? '', secretSealed: deps.cipher.encrypt(secret, sealContext(id)), createdBy: adminId,
    }).returning();
    await appendAudit(tx, { action: 'webhook.created', actor: adminId, subjectType: 'webhook-endpoint', subjectId: id, data: { url, eventTypes } });
    return created!;
  });
  return { ...endpointView(row), secret };
}

export async function listEndpoints(db: Db): Promise<EndpointView[]> {
  return (await db.select().from(webhookEndpoints).orderBy(desc(webhookEndpoints.id))).map(endpointView);
}

export async function getEndpoint(db: Db, id: string): Promise<EndpointView> {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  if (!row) throw problem(404, 'not-found', `No webhook endpoint ${id}`);
  return endpointView(row);
}

export async function updateEndpoint(deps: WebhookDeps, adminId: string, id: string, input: { url?: string; eventTypes?: string[]; description?: string }): Promise<EndpointView> {
  const changes = {
    ...(input.url !== undefined ? { url: checkEndpointUrl(input.url, deps.config.webhookAllowHttp) } : {}),
    ...(input.eventTypes !== undefined ? { eventTypes: checkEventTypes(deps, input.eventTypes) } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
  };
  return deps.database.transaction(async (tx) => {
    await lockedEndpoint(tx, id);
    const [row] = await tx.update(webhookEndpoints).set({ ...changes, updatedAt: sql`now()` }).where(eq(webhookEndpoints.id, id)).returning();
    await appendAudit(tx, { action: 'webhook.updated', actor: adminId, subjectType: 'webhook-endpoint', subjectId: id, data: { ...changes } });
    return endpointView(row!);
  });
}

/** Enabling also closes the circuit breaker: the paused deliveries are attempted again at once. */
export async function setEndpointEnabled(deps: WebhookDeps, adminId: string, id: string, enabled: boolean): Promise<EndpointView> {
  return deps.database.transaction(async (tx) => {
    const before = await lockedEndpoint(tx, id);
    const [row] = await tx.update(webhookEndpoints)
      .set(enabled ? { enabled, pausedAt: null, consecutiveFailures: 0, updatedAt: sql`now()` } : { enabled, updatedAt: sql`now()` })
      .where(eq(webhookEndpoints.id, id)).returning();
    if (before.enabled !== enabled || (enabled && before.pausedAt)) {
      await appendAudit(tx, { action: enabled ? 'webhook.enabled' : 'webhook.disabled', actor: adminId, subjectType: 'webhook-endpoint', subjectId: id, data: { wasPaused: Boolean(before.pausedAt) } });
    }
    return endpointView(row!);
  });
}

export async function deleteEndpoint(deps: WebhookDeps, adminId: string, id: string): Promise<void> {
  await deps.database.transaction(async (tx) => {
    const row = await lockedEndpoint(tx, id);
    await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id));
    await appendAudit(tx, { action: 'webhook.deleted', actor: adminId, subjectType: 'webhook-endpoint', subjectId: id, data: { url: row.url } });
  });
}

/** A new secret, shown once; the previous one keeps signing (as a second signature) for PREVIOUS_SECRET_GRACE_MS. */
export async function rotateSecret(deps: WebhookDeps, adminId: string, id: string): Promise<EndpointView & { secret: string; previousSecretExpiresAt: string }> {
  const secret = newWebhookSecret();
  const expires = new Date(Date.now() + PREVIOUS_SECRET_GRACE_MS).toISOString();
  const row = await deps.database.transaction(async (tx) => {
    const before = await lockedEndpoint(tx, id);
    const [updated] = await tx.update(webhookEndpoints).set({
      secretSealed: deps.cipher.encrypt(secret, sealContext(id)), previousSecretSealed: before.secretSealed, previousSecretExpiresAt: expires, updatedAt: sql`now()`,
    }).where(eq(webhookEndpoints.id, id)).returning();
    await appendAudit(tx, { action: 'webhook.secret-rotated', actor: adminId, subjectType: 'webhook-endpoint', subjectId: id, data: { previousSecretExpiresAt: expires } });
    return updated!;
  });
  return { ...endpointView(row), secret, previousSecretExpiresAt: expires };
}

/** The secrets that sign a delivery now: the current one, and the previous one during its grace period. */
export function signingSecrets(deps: WebhookDeps, row: Pick<EndpointRow, 'id' | 'secretSealed' | 'previousSecretSealed' | 'previousSecretExpiresAt'>, now = Date.now()): string[] {
  const secrets = [deps.cipher.decrypt(row.secretSealed, sealContext(row.id))];
  if (row.previousSecretSealed && row.previousSecretExpiresAt && new Date(row.previousSecretExpiresAt).getTime() > now) {
    secrets.push(deps.cipher.decrypt(row.previousSecretSealed, sealContext(row.id)));
  }
  return secrets;
}
