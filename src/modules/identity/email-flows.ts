import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { consumer, type ConsumerDefinition } from '../../platform/events/consumers.js';
import { publish } from '../../platform/events/outbox.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { resetPasswordMail, verifyEmailMail } from '../../platform/mail/templates.js';
import { appendAudit } from '../../platform/security/audit.js';
import { hashPassword } from '../../platform/security/passwords.js';
import { hashToken, newOpaqueToken } from '../../platform/security/tokens.js';
import { assertStrongPassword, findUserByEmail, getUser, normaliseEmail } from './accounts.js';
import { accountSucceeded } from './brute-force.js';
import { customerRegistered, passwordResetRequested, verificationRequested } from './events.js';
import type { Identity } from './runtime.js';
import { oneTimeTokens, users } from './schema.js';
import { revokeAllSessions } from './sessions.js';

type Purpose = 'verify-email' | 'reset-password';
const RESET_MAILS_PER_WINDOW = 3;
const LIFETIME_MS: Record<Purpose, number> = { 'verify-email': 24 * 3600_000, 'reset-password': 30 * 60_000 };

/** A new single-use token; only its hash is stored, and earlier unused ones for the same purpose stop working. */
async function issueToken(tx: Tx, userId: string, purpose: Purpose): Promise<string> {
  const token = newOpaqueToken();
  await tx.update(oneTimeTokens).set({ usedAt: new Date().toISOString() })
    .where(and(eq(oneTimeTokens.userId, userId), eq(oneTimeTokens.purpose, purpose), isNull(oneTimeTokens.usedAt)));
  await tx.insert(oneTimeTokens).values({ id: newId(), userId, purpose, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + LIFETIME_MS[purpose]).toISOString() });
  return token;
}

/** Spends a token: the conditional update makes a second use (even a concurrent one) fail. */
async function spendToken(tx: Tx, token: string, purpose: Purpose): Promise<string> {
  const [row] = await tx.update(oneTimeTokens).set({ usedAt: new Date().toISOString() })
    .where(and(eq(oneTimeTokens.tokenHash, hashToken(token)), eq(oneTimeTokens.purpose, purpose), isNull(oneTimeTokens.usedAt)))
    .returning();
  if (!row) throw problem(400, 'invalid-token', 'This link is not valid or was already used; ask for a new one');
  if (new Date(row.expiresAt).getTime() <= Date.now()) throw problem(400, 'token-expired', 'This link has expired; ask for a new one');
  return row.userId;
}

const link = (identity: Identity, path: string, token: string) => `${identity.config.publicUrl.replace(/\/$/, '')}${path}?token=${encodeURIComponent(token)}`;

/**
 * Mail leaves from consumers, never from the request: the token is created in the
 * consumer's transaction, so it exists only if the mail step commits, and a redelivered
 * event is skipped by the inbox.
 */
export function emailConsumers(identity: Identity): ConsumerDefinition[] {
  const sendVerification = async (tx: Tx, userId: string) => {
    const user = await getUser(tx, userId);
    if (user.emailVerifiedAt || user.status !== 'active') return;
    const token = await issueToken(tx, user.id, 'verify-email');
    await identity.mailer.send(tx, { ...verifyEmailMail(user.email, user.name, link(identity, '/account/verify-email', token)), subjectId: user.id });
  };
  return [
    consumer('identity.send-verification-on-register', customerRegistered, (tx, event) => sendVerification(tx, event.payload.customerId)),
    consumer('identity.send-verification-on-request', verificationRequested, (tx, event) => sendVerification(tx, event.payload.userId)),
    consumer('identity.send-password-reset', passwordResetRequested, async (tx, event) => {
      const user = await getUser(tx, event.payload.userId);
      if (user.status !== 'active') return;
      const token = await issueToken(tx, user.id, 'reset-password');
      await identity.mailer.send(tx, { ...resetPasswordMail(user.email, user.name, link(identity, '/account/reset-password', token)), subjectId: user.id });
    }),
  ];
}

export async function verifyEmail(identity: Identity, token: string): Promise<void> {
  await identity.database.transaction(async (tx) => {
    const userId = await spendToken(tx, token, 'verify-email');
    await tx.update(users).set({ emailVerifiedAt: new Date().toISOString(), updatedAt: new Date().toISOString() }).where(eq(users.id, userId));
    await appendAudit(tx, { action: 'user.email-verified', actor: userId, subjectType: 'user', subjectId: userId });
  });
}

/** Same answer whether or not the account exists; the mail goes out only when it does. */
export async function requestPasswordReset(identity: Identity, email: string): Promise<void> {
  // Per address, whether or not it has an account: past a few requests the answer stays the same but no more mail
  // goes out, so nobody can flood a mailbox with reset links.
  const { count } = await identity.limiter.hit(`acct:forgot:${normaliseEmail(email)}`, 15 * 60_000);
  if (count > RESET_MAILS_PER_WINDOW) return;
  await identity.database.transaction(async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (!user || user.status !== 'active') return;
    await publish(tx, passwordResetRequested.create(user.id, { userId: user.id }));
    await appendAudit(tx, { action: 'password.reset-requested', actor: null, subjectType: 'user', subjectId: user.id });
  });
}

export async function requestVerificationMail(identity: Identity, userId: string): Promise<void> {
  await identity.database.transaction((tx) => publish(tx, verificationRequested.create(userId, { userId })));
}

/** A reset proves control of the mailbox, so it also ends every session (a thief's included). */
export async function resetPassword(identity: Identity, token: string, password: string): Promise<void> {
  const passwordHashFor = async (tx: Tx, userId: string) => {
    const user = await getUser(tx, userId);
    assertStrongPassword(password, user);
    return hashPassword(password);
  };
  const email = await identity.database.transaction(async (tx) => {
    const userId = await spendToken(tx, token, 'reset-password');
    const passwordHash = await passwordHashFor(tx, userId);
    const [user] = await tx.update(users).set({ passwordHash, emailVerifiedAt: new Date().toISOString(), updatedAt: new Date().toISOString() })
      .where(eq(users.id, userId)).returning({ email: users.email });
    await revokeAllSessions(tx, userId);
    await appendAudit(tx, { action: 'password.reset', actor: userId, subjectType: 'user', subjectId: userId });
    return user?.email ?? '';
  });
  // Someone who guessed at the account may have locked its sign-in; the owner just proved control of the mailbox.
  await accountSucceeded(identity, 'login', email);
}
