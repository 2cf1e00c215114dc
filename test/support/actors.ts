import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { createStaffUser } from '../../src/modules/identity/accounts.js';
import type { TestApp } from './test-app.js';

/**
 * Ready-to-use callers for a TestApp: `headers` goes straight into `app.http.inject` (or
 * fetch). Each call makes fresh accounts, so tests do not share users. Admins come enrolled
 * in TOTP and signed in through the MFA challenge, since admin routes require it.
 */
export type ActorKind = 'anonymous' | 'customer' | 'support_agent' | 'staff' | 'admin';

export interface TestActor {
  kind: ActorKind;
  /** The user id; null for anonymous. */
  id: string | null;
  email: string;
  password: string;
  /** `{ authorization: 'Bearer …' }`, or `{}` for anonymous. */
  headers: Record<string, string>;
  accessToken: string;
  refreshToken: string;
  /** Admins: the TOTP secret (base32) and the unused recovery codes. */
  totpSecret?: string;
  recoveryCodes?: string[];
}

export interface TestActors {
  anonymous: TestActor;
  customer: TestActor;
  otherCustomer: TestActor;
  supportAgent: TestActor;
  staff: TestActor;
  admin: TestActor;
}

/** A password that passes the policy, different every time. */
export const strongPassword = (): string => `Shop-${randomBytes(9).toString('base64url')}-Tea!`;
export const uniqueEmail = (label: string): string => `${label.replace(/_/g, '-')}-${randomBytes(5).toString('hex')}@example.com`;

/** The current TOTP code for a base32 secret (what the shopper's authenticator app shows). */
export const totpCode = (secret: string, timestamp = Date.now()): string =>
  new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp });

async function call(app: TestApp, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const response = await app.http.inject({ method, url, payload: payload as never, headers });
  if (response.statusCode >= 300) throw new Error(`${method} ${url} answered ${response.statusCode}: ${response.body}`);
  return response.statusCode === 204 ? {} : response.json();
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export async function signIn(app: TestApp, email: string, password: string): Promise<{ accessToken: string; refreshToken: string; mfaRequired?: boolean; challengeToken?: string }> {
  return call(app, 'POST', '/auth/login', { email, password });
}

export async function createActor(app: TestApp, kind: ActorKind): Promise<TestActor> {
  if (kind === 'anonymous') return { kind, id: null, email: '', password: '', headers: {}, accessToken: '', refreshToken: '' };
  const email = uniqueEmail(kind);
  const password = strongPassword();
  const name = `Test ${kind}`;
  let id: string;
  if (kind === 'customer') {
    id = (await call(app, 'POST', '/auth/register', { email, password, name })).id;
  } else {
    id = (await createStaffUser(app.database, null, { email, password, name, role: kind })).id;
  }
  const first = await signIn(app, email, password);
  if (kind !== 'admin') return { kind, id, email, password, headers: bearer(first.accessToken), accessToken: first.accessToken, refreshToken: first.refreshToken };

  const { secret } = await call(app, 'POST', '/auth/mfa/enroll', undefined, bearer(first.accessToken));
  const { recoveryCodes } = await call(app, 'POST', '/auth/mfa/confirm', { code: totpCode(secret) }, bearer(first.accessToken));
  const challenge = await signIn(app, email, password);
  // The TOTP step was just spent on enrolment (codes are single-use), so finish with a recovery code.
  const [code, ...rest] = recoveryCodes as string[];
  const session = await call(app, 'POST', '/auth/mfa/verify', { challengeToken: challenge.challengeToken, recoveryCode: code });
  return { kind, id, email, password, headers: bearer(session.accessToken), accessToken: session.accessToken, refreshToken: session.refreshToken, totpSecret: secret, recoveryCodes: rest };
}

export async function createActors(app: TestApp): Promise<TestActors> {
  const [anonymous, customer, otherCustomer, supportAgent, staff, admin] = await Promise.all([
    createActor(app, 'anonymous'), createActor(app, 'customer'), createActor(app, 'customer'),
    createActor(app, 'support_agent'), createActor(app, 'staff'), createActor(app, 'admin'),
  ]);
  return { anonymous, customer, otherCustomer, supportAgent, staff, admin } as TestActors;
}
