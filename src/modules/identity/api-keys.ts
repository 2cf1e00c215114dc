import { and, desc, eq, isNull } from 'drizzle-orm';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { appendAudit } from '../../platform/security/audit.js';
import { hashToken, newOpaqueToken } from '../../platform/security/tokens.js';
import { isPermission } from './permissions.js';
import type { Identity } from './runtime.js';
import { apiKeys } from './schema.js';

/** Keys look like `cmk_…`, so secret scanners and the authorizer can tell them from JWTs. */
export const API_KEY_PREFIX = 'cmk_';

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  permissions: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const view = (row: typeof apiKeys.$inferSelect): ApiKeyView => ({
  id: row.id, name: row.name, prefix: row.prefix, permissions: row.permissions,
  createdAt: new Date(row.createdAt).toISOString(), lastUsedAt: row.lastUsedAt ? new Date(row.lastUsedAt).toISOString() : null,
  revokedAt: row.revokedAt ? new Date(row.revokedAt).toISOString() : null,
});

export async function createApiKey(identity: Identity, adminId: string, input: { name: string; permissions: string[] }): Promise<ApiKeyView & { key: string }> {
  const unknown = input.permissions.filter((p) => !isPermission(p));
  if (unknown.length > 0) throw problem(422, 'unknown-permission', `No such permission: ${unknown.join(', ')}`, { unknown });
  const key = `${API_KEY_PREFIX}${newOpaqueToken()}`;
  const row = await identity.database.transaction(async (tx) => {
    const [created] = await tx.insert(apiKeys).values({
      id: newId(), name: input.name, prefix: key.slice(0, 10), secretHash: hashToken(key), permissions: [...new Set(input.permissions)], createdBy: adminId,
    }).returning();
    if (!created) throw new Error('API key insert returned nothing');
    await appendAudit(tx, { action: 'api-key.created', actor: adminId, subjectType: 'api-key', subjectId: created.id, data: { name: input.name, permissions: created.permissions } });
    return created;
  });
  return { ...view(row), key };
}

export async function listApiKeys(identity: Identity): Promise<ApiKeyView[]> {
  return (await identity.database.db.select().from(apiKeys).orderBy(desc(apiKeys.id))).map(view);
}

export async function revokeApiKey(identity: Identity, adminId: string, id: string): Promise<void> {
  await identity.database.transaction(async (tx) => {
    const revoked = await tx.update(apiKeys).set({ revokedAt: new Date().toISOString() }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).returning({ id: apiKeys.id });
    if (revoked.length === 0) {
      const [exists] = await tx.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.id, id));
      if (!exists) throw problem(404, 'not-found', `No API key ${id}`);
      return;
    }
    await appendAudit(tx, { action: 'api-key.revoked', actor: adminId, subjectType: 'api-key', subjectId: id });
  });
}

/** The key's record when it is valid and not revoked; records when it was used. */
export async function authenticateApiKey(identity: Identity, key: string): Promise<{ id: string; permissions: string[] } | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  const db = identity.database.db;
  const [row] = await db.select({ id: apiKeys.id, permissions: apiKeys.permissions }).from(apiKeys)
    .where(and(eq(apiKeys.secretHash, hashToken(key)), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  await db.update(apiKeys).set({ lastUsedAt: new Date().toISOString() }).where(eq(apiKeys.id, row.id));
  return row;
}
