import { eq } from 'drizzle-orm';
import { problem } from '../../platform/http/problem.js';
import { appendAudit } from '../../platform/security/audit.js';
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from '../../platform/security/passwords.js';
import { TokenError } from '../../platform/security/tokens.js';
import { findUserByEmail, normaliseEmail, userView, type UserView } from './accounts.js';
import { accountFailed, accountSucceeded, beforeAccountAttempt, invalidCredentials } from './brute-force.js';
import type { Identity } from './runtime.js';
import { users } from './schema.js';
import { startSession, type IssuedSession, type SessionMode } from './sessions.js';

const CHALLENGE = 'mfa-challenge';
const CHALLENGE_TTL_SECONDS = 300;

export type LoginResult =
  | { kind: 'session'; session: IssuedSession; user: UserView }
  | { kind: 'mfa-challenge'; challengeToken: string; expiresIn: number };

export interface LoginInput {
  email: string;
  password: string;
  mode: SessionMode;
  userAgent: string | null;
}

/**
 * One answer for "no such account", "wrong password" and "account disabled", with the same
 * argon2 work on each path, so neither the message nor the timing reveals which it was.
 */
export async function login(identity: Identity, input: LoginInput): Promise<LoginResult> {
  const email = normaliseEmail(input.email);
  await beforeAccountAttempt(identity, 'login', email);
  const user = await findUserByEmail(identity.database.db, email);
  const usable = user && user.status === 'active' && user.passwordHash;
  const ok = usable ? await verifyPassword(user.passwordHash as string, input.password) : (await burnPasswordCheck(input.password), false);
  if (!ok || !user) {
    await accountFailed(identity, 'login', email);
    await identity.database.transaction((tx) => appendAudit(tx, {
      action: 'login.failed', actor: null, subjectType: 'user', subjectId: user?.id ?? 'unknown', data: { reason: user ? 'password' : 'no-account' },
    }));
    throw invalidCredentials();
  }
  await accountSucceeded(identity, 'login', email);
  // Parameters move with OWASP guidance; the password is only ever in hand at login, so upgrade then.
  if (needsRehash(user.passwordHash as string)) {
    await identity.database.db.update(users).set({ passwordHash: await hashPassword(input.password) }).where(eq(users.id, user.id));
  }
  if (user.mfaEnabledAt) {
    const challengeToken = await identity.signer.sign({ sub: user.id, typ: CHALLENGE, mode: input.mode }, CHALLENGE_TTL_SECONDS);
    await identity.database.transaction((tx) => appendAudit(tx, { action: 'login.mfa-challenged', actor: user.id, subjectType: 'user', subjectId: user.id }));
    return { kind: 'mfa-challenge', challengeToken, expiresIn: CHALLENGE_TTL_SECONDS };
  }
  // The audit entry goes last: its row lock (the chain's head) is then held only until the commit.
  const session = await identity.database.transaction(async (tx) => {
    const started = await startSession(identity, tx, user, { mfa: false, mode: input.mode, userAgent: input.userAgent });
    await appendAudit(tx, { action: 'login.succeeded', actor: user.id, subjectType: 'user', subjectId: user.id, data: { mfa: false } });
    return started;
  });
  return { kind: 'session', session, user: userView(user) };
}

/** The user a challenge token was issued to, and how they want their session. */
export async function readChallenge(identity: Identity, token: string): Promise<{ userId: string; mode: SessionMode }> {
  try {
    const claims = await identity.signer.verify(token, CHALLENGE);
    return { userId: claims.sub, mode: claims.mode === 'cookie' ? 'cookie' : 'bearer' };
  } catch (error) {
    if (error instanceof TokenError && error.reason === 'expired') throw problem(401, 'challenge-expired', 'The sign-in challenge has expired; sign in again');
    throw problem(401, 'invalid-challenge', 'The sign-in challenge is not valid; sign in again');
  }
}
