import { randomBytes } from 'node:crypto';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import type { Tx } from '../../platform/db/database.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { appendAudit } from '../../platform/security/audit.js';
import { verifyPassword } from '../../platform/security/passwords.js';
import { hashToken } from '../../platform/security/tokens.js';
import { getUser, userView, type UserRow, type UserView } from './accounts.js';
import { accountFailed, accountSucceeded, beforeAccountAttempt } from './brute-force.js';
import { readChallenge } from './login.js';
import type { Identity } from './runtime.js';
import { recoveryCodes, users } from './schema.js';
import { startSession, type IssuedSession, type SessionMode } from './sessions.js';

const PERIOD = 30;
const RECOVERY_CODES = 10;
/** AES-GCM associated data: a secret copied into another column or row does not decrypt. */
const secretContext = (userId: string) => `identity_users.mfa_secret:${userId}`;

const totpFor = (secretBase32: string, email: string) =>
  new TOTP({ issuer: 'CloudMart', label: email, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secretBase32) });

/** 16 base32 characters (80 bits) in groups of four: random enough that a fast hash is safe to store. */
function recoveryCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % 32]).join('');
  return chars.match(/.{4}/g)?.join('-') ?? chars;
}
const normaliseRecoveryCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

export async function startEnrolment(identity: Identity, userId: string): Promise<{ secret: string; otpauthUri: string }> {
  return identity.database.transaction(async (tx) => {
    const user = await getUser(tx, userId);
    if (user.mfaEnabledAt) throw problem(409, 'mfa-already-enabled', 'Two-factor authentication is already on; disable it first to enrol a new device');
    const secret = new Secret({ size: 20 }).base32;
    await tx.update(users).set({ mfaSecret: identity.cipher.encrypt(secret, secretContext(userId)), mfaLastStep: null }).where(eq(users.id, userId));
    return { secret, otpauthUri: totpFor(secret, user.email).toString() };
  });
}

/**
 * Checks a TOTP code (RFC 6238, ±1 step for clock drift) and records its time step, so the
 * same code cannot be used twice: the conditional update is the guard, not a prior read.
 */
async function acceptTotp(identity: Identity, tx: Tx, user: UserRow, code: string): Promise<boolean> {
  if (!user.mfaSecret || !/^\d{6}$/.test(code)) return false;
  const totp = totpFor(identity.cipher.decrypt(user.mfaSecret, secretContext(user.id)), user.email);
  const delta = totp.validate({ token: code, window: 1 });
  if (delta === null) return false;
  const step = Math.floor(Date.now() / 1000 / PERIOD) + delta;
  const claimed = await tx.update(users).set({ mfaLastStep: step })
    .where(and(eq(users.id, user.id), or(isNull(users.mfaLastStep), lt(users.mfaLastStep, step)))).returning({ id: users.id });
  return claimed.length === 1;
}

async function acceptRecoveryCode(tx: Tx, userId: string, code: string): Promise<boolean> {
  const used = await tx.update(recoveryCodes).set({ usedAt: new Date().toISOString() })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, hashToken(normaliseRecoveryCode(code))), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return used.length === 1;
}

const wrongCode = () => problem(401, 'invalid-mfa-code', 'The code is not valid (or was already used); use the current code from your authenticator app or an unused recovery code');

export async function confirmEnrolment(identity: Identity, userId: string, code: string): Promise<{ recoveryCodes: string[]; user: UserView }> {
  await beforeAccountAttempt(identity, 'mfa', userId);
  const result = await identity.database.transaction(async (tx) => {
    const user = await getUser(tx, userId);
    if (user.mfaEnabledAt) throw problem(409, 'mfa-already-enabled', 'Two-factor authentication is already on');
    if (!user.mfaSecret) throw problem(409, 'mfa-not-started', 'Start enrolment first with POST /auth/mfa/enroll');
    if (!(await acceptTotp(identity, tx, user, code))) return null;
    const codes = Array.from({ length: RECOVERY_CODES }, recoveryCode);
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.insert(recoveryCodes).values(codes.map((c) => ({ id: newId(), userId, codeHash: hashToken(normaliseRecoveryCode(c)) })));
    const [after] = await tx.update(users).set({ mfaEnabledAt: new Date().toISOString(), updatedAt: new Date().toISOString() }).where(eq(users.id, userId)).returning();
    await appendAudit(tx, { action: 'mfa.enabled', actor: userId, subjectType: 'user', subjectId: userId });
    return { recoveryCodes: codes, user: userView(after as UserRow) };
  });
  if (!result) {
    await accountFailed(identity, 'mfa', userId);
    throw wrongCode();
  }
  await accountSucceeded(identity, 'mfa', userId);
  return result;
}

/** Completes a sign-in that answered with an MFA challenge. */
export async function completeChallenge(identity: Identity, input: { challengeToken: string; code?: string; recoveryCode?: string; userAgent: string | null }): Promise<{ session: IssuedSession; user: UserView; mode: SessionMode }> {
  const { userId, mode } = await readChallenge(identity, input.challengeToken);
  if (!input.code === !input.recoveryCode) throw problem(422, 'validation-failed', 'Send either code or recoveryCode');
  await beforeAccountAttempt(identity, 'mfa', userId);
  const result = await identity.database.transaction(async (tx) => {
    const user = await getUser(tx, userId);
    if (user.status !== 'active' || !user.mfaEnabledAt) return null;
    const ok = input.code ? await acceptTotp(identity, tx, user, input.code) : await acceptRecoveryCode(tx, userId, input.recoveryCode as string);
    if (!ok) return null;
    await appendAudit(tx, { action: 'login.succeeded', actor: userId, subjectType: 'user', subjectId: userId, data: { mfa: true, method: input.code ? 'totp' : 'recovery-code' } });
    return { session: await startSession(identity, tx, user, { mfa: true, mode, userAgent: input.userAgent }), user: userView(user) };
  });
  if (!result) {
    await accountFailed(identity, 'mfa', userId);
    await identity.database.transaction((tx) => appendAudit(tx, { action: 'login.mfa-failed', actor: null, subjectType: 'user', subjectId: userId }));
    throw wrongCode();
  }
  await accountSucceeded(identity, 'mfa', userId);
  return { ...result, mode };
}

/** Turning MFA off needs the password and a current code (re-authentication), not just a session. */
export async function disableMfa(identity: Identity, userId: string, input: { password: string; code?: string; recoveryCode?: string }): Promise<UserView> {
  await beforeAccountAttempt(identity, 'mfa', userId);
  const result = await identity.database.transaction(async (tx) => {
    const user = await getUser(tx, userId);
    if (!user.mfaEnabledAt) throw problem(409, 'mfa-not-enabled', 'Two-factor authentication is not on');
    // The password first: a wrong one must not spend the code the user typed.
    if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.password))) return null;
    const second = input.code ? await acceptTotp(identity, tx, user, input.code) : input.recoveryCode ? await acceptRecoveryCode(tx, userId, input.recoveryCode) : false;
    if (!second) return null;
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    const [after] = await tx.update(users).set({ mfaSecret: null, mfaEnabledAt: null, mfaLastStep: null, updatedAt: new Date().toISOString() }).where(eq(users.id, userId)).returning();
    await appendAudit(tx, { action: 'mfa.disabled', actor: userId, subjectType: 'user', subjectId: userId });
    return userView(after as UserRow);
  });
  if (!result) {
    await accountFailed(identity, 'mfa', userId);
    throw problem(401, 'reauthentication-failed', 'The password or the code is not correct');
  }
  return result;
}
