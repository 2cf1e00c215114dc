import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { publish } from '../../platform/events/outbox.js';
import { problem } from '../../platform/http/problem.js';
import { forgetStoredMail, storedMailFor } from '../../platform/mail/stored-mail.js';
import { appendAudit } from '../../platform/security/audit.js';
import { auditLog } from '../../platform/security/schema.js';
import { verifyPassword } from '../../platform/security/passwords.js';
import { getUser, userView } from './accounts.js';
import { listAddresses } from './addresses.js';
import { customerErased } from './events.js';
import type { Identity } from './runtime.js';
import { addresses, oneTimeTokens, recoveryCodes, sessions, users } from './schema.js';
import { revokeAllSessions } from './sessions.js';

const iso = (value: string | null) => (value ? new Date(value).toISOString() : null);

/**
 * Everything the shop holds about the customer (GDPR art. 15 and 20), as JSON: identity's
 * own part, then every module's part (orders, carts, reviews, …) under its key, read in the
 * same transaction so the export is one consistent snapshot.
 */
export interface PersonalDataExport {
  exportedAt: string;
  account: Record<string, unknown>;
  [part: string]: unknown;
}

export async function exportPersonalData(identity: Identity, userId: string): Promise<PersonalDataExport> {
  return identity.database.transaction(async (tx) => {
    const user = await getUser(tx, userId);
    const sessionRows = await tx.select().from(sessions).where(eq(sessions.userId, userId)).orderBy(asc(sessions.createdAt));
    const events = await tx.select({ at: auditLog.occurredAt, action: auditLog.action }).from(auditLog)
      .where(and(eq(auditLog.subjectType, 'user'), eq(auditLog.subjectId, userId))).orderBy(asc(auditLog.seq));
    const result: PersonalDataExport = {
      exportedAt: new Date().toISOString(),
      account: { ...userView(user), emailVerifiedAt: iso(user.emailVerifiedAt), mfaEnabledAt: iso(user.mfaEnabledAt) },
      addresses: await listAddresses(tx, userId),
      sessions: sessionRows.map((s) => ({ startedAt: iso(s.createdAt), userAgent: s.userAgent, expiresAt: iso(s.expiresAt), endedAt: iso(s.revokedAt ?? s.replacedAt) })),
      securityEvents: events.map((e) => ({ at: iso(e.at), action: e.action })),
      storedMail: await storedMailFor(tx, { id: userId, address: user.email }),
    };
    for (const part of identity.personalData) {
      if (part.key in result) throw new Error(`Two parts of the personal data export are named ${part.key}`);
      result[part.key] = await part.export(tx, userId);
    }
    await appendAudit(tx, { action: 'privacy.data-exported', actor: userId, subjectType: 'user', subjectId: userId, data: { parts: Object.keys(result).filter((k) => k !== 'exportedAt') } });
    return result;
  });
}

/**
 * Erasure (GDPR art. 17): the account row stays, because orders and invoices that must be
 * kept for accounting point at it, but nothing in it identifies the person any more.
 * Sessions end, addresses and MFA material go, so do the stored copies of every e-mail sent
 * to the person (development mailbox), and `customer.erased` tells other modules to
 * anonymise theirs. Needs the password: a stolen access token alone cannot erase.
 */
export async function eraseCustomer(identity: Identity, userId: string, password: string): Promise<void> {
  await identity.database.transaction(async (tx) => {
    const user = await getUser(tx, userId);
    if (user.role !== 'customer') throw problem(409, 'not-a-customer', 'Staff accounts are removed by an admin, not erased by themselves');
    if (!user.passwordHash || !(await verifyPassword(user.passwordHash, password))) throw problem(403, 'wrong-password', 'The password is not correct');
    const now = new Date().toISOString();
    await forgetStoredMail(tx, { id: user.id, address: user.email });
    await tx.update(users).set({
      email: `erased-${user.id}@erased.invalid`, name: 'Erased customer', passwordHash: null, status: 'erased', emailVerifiedAt: null,
      mfaSecret: null, mfaEnabledAt: null, mfaLastStep: null, erasedAt: now, updatedAt: now,
    }).where(eq(users.id, userId));
    await tx.delete(addresses).where(eq(addresses.userId, userId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.delete(oneTimeTokens).where(eq(oneTimeTokens.userId, userId));
    await revokeAllSessions(tx, userId);
    await tx.update(sessions).set({ userAgent: null }).where(eq(sessions.userId, userId));
    await publish(tx, customerErased.create(userId, { customerId: userId }));
    await appendAudit(tx, { action: 'privacy.erased', actor: userId, subjectType: 'user', subjectId: userId });
  });
}

/** Whether the account was erased, for modules that must not contact the person any more. */
export async function isErasedCustomer(db: Db, userId: string): Promise<boolean> {
  const [row] = await db.select({ status: users.status }).from(users).where(eq(users.id, userId));
  return row?.status === 'erased';
}
