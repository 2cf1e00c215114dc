import { eq } from 'drizzle-orm';
import { problem } from '../../platform/http/problem.js';
import { appendAudit } from '../../platform/security/audit.js';
import { hashPassword, verifyPassword } from '../../platform/security/passwords.js';
import { assertStrongPassword, getUser } from './accounts.js';
import { accountFailed, accountSucceeded, beforeAccountAttempt } from './brute-force.js';
import type { Identity } from './runtime.js';
import { users } from './schema.js';
import { revokeAllSessions } from './sessions.js';

/** Needs the current password, so a stolen access token alone cannot take the account over. */
export async function changePassword(identity: Identity, userId: string, currentPassword: string, newPassword: string): Promise<void> {
  await beforeAccountAttempt(identity, 'password', userId);
  const user = await getUser(identity.database.db, userId);
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword))) {
    await accountFailed(identity, 'password', userId);
    throw problem(403, 'wrong-password', 'The current password is not correct');
  }
  await accountSucceeded(identity, 'password', userId);
  assertStrongPassword(newPassword, user);
  const passwordHash = await hashPassword(newPassword);
  await identity.database.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: new Date().toISOString() }).where(eq(users.id, userId));
    await revokeAllSessions(tx, userId);
    await appendAudit(tx, { action: 'password.changed', actor: userId, subjectType: 'user', subjectId: userId });
  });
}
