import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { appendAudit } from '../../platform/security/audit.js';
import { constantTimeEqual, hashToken, newOpaqueToken } from '../../platform/security/tokens.js';
import type { Identity } from './runtime.js';
import { sessions, users } from './schema.js';

export const ACCESS = 'access';

export interface IssuedSession {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  /** Set for cookie sessions: the value to echo in X-CSRF-Token. */
  csrfToken: string | null;
}

export type SessionMode = 'bearer' | 'cookie';

async function accessToken(identity: Identity, user: { id: string; role: string }, familyId: string, mfa: boolean): Promise<string> {
  return identity.signer.sign({ sub: user.id, typ: ACCESS, role: user.role, sid: familyId, mfa }, identity.config.accessTokenTtlSeconds);
}

const refreshExpiry = (identity: Identity) => new Date(Date.now() + identity.config.refreshTokenTtlDays * 86_400_000).toISOString();

/** Starts a new refresh-token family for a user who just proved who they are. */
export async function startSession(identity: Identity, tx: Tx, user: { id: string; role: string }, options: { mfa: boolean; mode: SessionMode; userAgent: string | null }): Promise<IssuedSession> {
  const refreshToken = newOpaqueToken();
  const csrfToken = options.mode === 'cookie' ? newOpaqueToken(24) : null;
  const familyId = newId();
  await tx.insert(sessions).values({
    id: newId(), userId: user.id, familyId, tokenHash: hashToken(refreshToken), mfa: options.mfa,
    csrfHash: csrfToken ? hashToken(csrfToken) : null, userAgent: options.userAgent, expiresAt: refreshExpiry(identity),
  });
  return { accessToken: await accessToken(identity, user, familyId, options.mfa), expiresIn: identity.config.accessTokenTtlSeconds, refreshToken, csrfToken };
}

const invalidRefresh = () => problem(401, 'invalid-refresh-token', 'The refresh token is not valid; sign in again');

/**
 * Rotates a refresh token. A token that was already replaced means two parties hold the
 * same family (one of them stole it): the whole family is revoked and both must sign in.
 */
export async function rotateSession(identity: Identity, refreshToken: string, csrfToken: string | null): Promise<IssuedSession & { mode: SessionMode }> {
  const outcome = await identity.database.transaction(async (tx) => {
    const [row] = await tx.select().from(sessions).where(eq(sessions.tokenHash, hashToken(refreshToken)));
    if (!row || row.revokedAt) return { kind: 'invalid' as const };
    if (row.csrfHash && (!csrfToken || !constantTimeEqual(hashToken(csrfToken), row.csrfHash))) return { kind: 'csrf' as const };
    if (new Date(row.expiresAt).getTime() <= Date.now()) return { kind: 'invalid' as const };
    const claimed = row.replacedAt ? [] : await tx.update(sessions).set({ replacedAt: new Date().toISOString() })
      .where(and(eq(sessions.id, row.id), isNull(sessions.replacedAt))).returning({ id: sessions.id });
    if (claimed.length === 0) {
      await revokeFamily(tx, row.familyId);
      await appendAudit(tx, { action: 'session.refresh-token-reused', actor: null, subjectType: 'user', subjectId: row.userId, data: { familyId: row.familyId } });
      return { kind: 'reused' as const };
    }
    const [user] = await tx.select({ id: users.id, role: users.role, status: users.status }).from(users).where(eq(users.id, row.userId));
    if (!user || user.status !== 'active') return { kind: 'invalid' as const };
    const next = newOpaqueToken();
    await tx.insert(sessions).values({
      id: newId(), userId: row.userId, familyId: row.familyId, tokenHash: hashToken(next), mfa: row.mfa, csrfHash: row.csrfHash,
      userAgent: row.userAgent, expiresAt: refreshExpiry(identity),
    });
    return { kind: 'rotated' as const, user, familyId: row.familyId, mfa: row.mfa, refreshToken: next, cookie: row.csrfHash !== null };
  });
  if (outcome.kind === 'csrf') throw problem(403, 'csrf-failed', 'This cookie session needs the X-CSRF-Token header with the token given at sign-in');
  if (outcome.kind === 'reused') throw problem(401, 'refresh-token-reused', 'This refresh token was already used; every session of this sign-in is now revoked. Sign in again');
  if (outcome.kind === 'invalid') throw invalidRefresh();
  return {
    accessToken: await accessToken(identity, outcome.user, outcome.familyId, outcome.mfa), expiresIn: identity.config.accessTokenTtlSeconds,
    refreshToken: outcome.refreshToken, csrfToken: csrfToken, mode: outcome.cookie ? 'cookie' : 'bearer',
  };
}

export async function revokeFamily(tx: Tx, familyId: string): Promise<void> {
  await tx.update(sessions).set({ revokedAt: new Date().toISOString() }).where(and(eq(sessions.familyId, familyId), isNull(sessions.revokedAt)));
}

export async function revokeAllSessions(tx: Tx, userId: string): Promise<void> {
  await tx.update(sessions).set({ revokedAt: new Date().toISOString() }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}

/** Logout with the refresh token itself as the credential; an unknown token is already logged out. */
export async function endSession(identity: Identity, refreshToken: string, csrfToken: string | null): Promise<void> {
  await identity.database.transaction(async (tx) => {
    const [row] = await tx.select().from(sessions).where(eq(sessions.tokenHash, hashToken(refreshToken)));
    if (!row) return;
    if (row.csrfHash && (!csrfToken || !constantTimeEqual(hashToken(csrfToken), row.csrfHash))) {
      throw problem(403, 'csrf-failed', 'This cookie session needs the X-CSRF-Token header with the token given at sign-in');
    }
    await revokeFamily(tx, row.familyId);
    await appendAudit(tx, { action: 'session.logout', actor: row.userId, subjectType: 'user', subjectId: row.userId, data: { familyId: row.familyId } });
  });
}

/** Is the session family behind an access token still live? (Logout and resets take effect at once, not at token expiry.) */
export async function sessionIsLive(tx: Tx, familyId: string): Promise<boolean> {
  const rows = await tx.select({ id: sessions.id }).from(sessions).where(and(eq(sessions.familyId, familyId), isNull(sessions.revokedAt))).limit(1);
  return rows.length > 0;
}
