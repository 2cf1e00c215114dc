import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/database.js';
import { publish } from '../../platform/events/outbox.js';
import { Problem, problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { appendAudit } from '../../platform/security/audit.js';
import { hashPassword, passwordWeakness } from '../../platform/security/passwords.js';
import { customerRegistered } from './events.js';
import { isRole, type Role } from './permissions.js';
import type { Identity } from './runtime.js';
import { sessions, users } from './schema.js';

export type UserRow = typeof users.$inferSelect;

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: string;
  status: string;
  emailVerified: boolean;
  mfaEnabled: boolean;
  createdAt: string;
}

export const userView = (u: UserRow): UserView => ({
  id: u.id, email: u.email, name: u.name, role: u.role, status: u.status, emailVerified: u.emailVerifiedAt !== null,
  mfaEnabled: u.mfaEnabledAt !== null, createdAt: new Date(u.createdAt).toISOString(),
});

/** E-mail addresses compare case-insensitively (in practice every provider treats them so). */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export function assertStrongPassword(password: string, context: { email?: string; name?: string }): void {
  const weakness = passwordWeakness(password, context);
  if (weakness) throw new Problem(422, 'weak-password', `The password is not accepted: ${weakness}`, {}, [{ in: 'body', field: 'password', message: weakness }]);
}

export async function findUserByEmail(tx: Tx, email: string): Promise<UserRow | undefined> {
  const [row] = await tx.select().from(users).where(eq(users.email, normaliseEmail(email)));
  return row;
}

export async function getUser(tx: Tx, id: string): Promise<UserRow> {
  const [row] = await tx.select().from(users).where(eq(users.id, id));
  if (!row) throw problem(404, 'not-found', `No user ${id}`);
  return row;
}

/** Inserts an account; a taken address is a 409 even when two registrations race (the unique index decides). */
async function insertUser(tx: Tx, input: { email: string; name: string; passwordHash: string; role: Role; verified?: boolean }): Promise<UserRow> {
  const [row] = await tx.insert(users).values({
    id: newId(), email: normaliseEmail(input.email), name: input.name.trim(), passwordHash: input.passwordHash, role: input.role,
    emailVerifiedAt: input.verified ? new Date().toISOString() : null,
  }).onConflictDoNothing().returning();
  if (!row) throw problem(409, 'email-already-registered', 'An account with this e-mail address already exists; sign in or reset the password', { field: 'email' });
  return row;
}

export async function registerCustomer(identity: Identity, input: { email: string; password: string; name: string }): Promise<UserView> {
  assertStrongPassword(input.password, input);
  const passwordHash = await hashPassword(input.password);
  return identity.database.transaction(async (tx) => {
    const user = await insertUser(tx, { ...input, passwordHash, role: 'customer' });
    await publish(tx, customerRegistered.create(user.id, { customerId: user.id }));
    await appendAudit(tx, { action: 'user.registered', actor: user.id, subjectType: 'user', subjectId: user.id, data: { role: 'customer' } });
    return userView(user);
  });
}

/** Staff accounts come from an admin; their address counts as verified because an admin vouched for it. */
export async function createStaffUser(database: Database, adminId: string | null, input: { email: string; password: string; name: string; role: string }): Promise<UserView> {
  if (!isRole(input.role)) throw problem(422, 'unknown-role', `No such role: ${input.role}`);
  assertStrongPassword(input.password, input);
  const passwordHash = await hashPassword(input.password);
  const role = input.role;
  return database.transaction(async (tx) => {
    const user = await insertUser(tx, { ...input, passwordHash, role, verified: true });
    await appendAudit(tx, { action: 'user.created', actor: adminId ?? 'system', subjectType: 'user', subjectId: user.id, data: { role } });
    return userView(user);
  });
}

export async function changeRole(identity: Identity, adminId: string, userId: string, role: string): Promise<UserView> {
  if (!isRole(role)) throw problem(422, 'unknown-role', `No such role: ${role}`);
  if (userId === adminId && role !== 'admin') throw problem(409, 'cannot-demote-self', 'Admins cannot remove their own admin role; ask another admin');
  return identity.database.transaction(async (tx) => {
    const before = await getUser(tx, userId);
    if (before.status === 'erased') throw problem(409, 'account-erased', 'This account was erased');
    const [after] = await tx.update(users).set({ role, updatedAt: new Date().toISOString() }).where(eq(users.id, userId)).returning();
    await appendAudit(tx, { action: 'user.role-changed', actor: adminId, subjectType: 'user', subjectId: userId, data: { from: before.role, to: role } });
    return userView(after as UserRow);
  });
}

/** Disabling signs the account out everywhere at once; the authorizer also refuses its live access tokens. */
export async function setStatus(identity: Identity, adminId: string, userId: string, status: 'active' | 'disabled'): Promise<UserView> {
  if (userId === adminId) throw problem(409, 'cannot-disable-self', 'Admins cannot disable their own account');
  return identity.database.transaction(async (tx) => {
    const before = await getUser(tx, userId);
    if (before.status === 'erased') throw problem(409, 'account-erased', 'This account was erased');
    const [after] = await tx.update(users).set({ status, updatedAt: new Date().toISOString() }).where(eq(users.id, userId)).returning();
    if (status === 'disabled') await tx.update(sessions).set({ revokedAt: new Date().toISOString() }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
    await appendAudit(tx, { action: status === 'disabled' ? 'user.disabled' : 'user.enabled', actor: adminId, subjectType: 'user', subjectId: userId });
    return userView(after as UserRow);
  });
}

export async function listUsers(identity: Identity, options: { after?: string; limit: number; role?: string }): Promise<{ items: UserView[]; nextCursor: string | null }> {
  const conditions = [options.after ? gt(users.id, options.after) : undefined, options.role ? eq(users.role, options.role) : undefined].filter(Boolean);
  const rows = await identity.database.db.select().from(users).where(and(...conditions)).orderBy(asc(users.id)).limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  return { items: page.map(userView), nextCursor: rows.length > options.limit ? (page.at(-1)?.id ?? null) : null };
}

/**
 * The first admin, from ADMIN_EMAIL/ADMIN_PASSWORD or the demo seed: created only while the
 * shop has no admin at all, so restarting with the variables still set changes nothing.
 */
export async function bootstrapAdmin(database: Database, email: string, password: string, name = 'Administrator'): Promise<UserView | null> {
  const [existing] = await database.db.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).limit(1);
  if (existing) return null;
  return createStaffUser(database, null, { email, password, name, role: 'admin' });
}
