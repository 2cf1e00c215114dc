import { eq, count } from 'drizzle-orm';
import { SignJWT, base64url, generateKeyPair, importPKCS8 } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { oneTimeTokens, sessions, users } from '../src/modules/identity/schema.js';
import { platformMeta } from '../src/platform/db/schema.js';
import { devMailbox } from '../src/platform/mail/schema.js';
import { createActor, strongPassword, uniqueEmail, type TestActor } from './support/actors.js';
import { awaitMail } from './support/identity-mail.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let app: TestApp;
let customer: TestActor;
beforeAll(async () => {
  app = await startTestApp({ env: { AUTH_LOCKOUT_THRESHOLD: '3', AUTH_RATE_LIMIT_PER_IP: '40' } });
  customer = await createActor(app, 'customer');
});
afterAll(async () => app?.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.http.inject({ method: 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } });

async function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number, slug: string) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json() as { type: string; detail: string; errors?: { field: string; message: string }[] };
  expect(body.type).toBe(`/problems/${slug}`);
  expect(body.detail.length).toBeGreaterThan(10);
  return body;
}

const countUsers = async () => (await app.database.db.select({ n: count() }).from(users))[0]!.n;
const countSessions = async () => (await app.database.db.select({ n: count() }).from(sessions))[0]!.n;

describe('registration', () => {
  test('an invalid e-mail address is 422 naming the field, and no account is made', async () => {
    const before = await countUsers();
    const body = await expectProblem(await post('/auth/register', { email: 'not-an-address', password: strongPassword(), name: 'X' }), 422, 'validation-failed');
    expect(body.errors).toContainEqual(expect.objectContaining({ field: 'email' }));
    expect(await countUsers()).toBe(before);
  });

  test.each([
    ['too short', 'Sh0rt!pass', /at least 12 characters/],
    ['common', 'Password1234', /commonly used/],
    ['common, repeated', 'qwertyqwerty!!', /commonly used/],
    ['a sequence', '123456789012', /commonly used|sequence/],
    ['one repeated character', 'aaaaaaaaaaaaaaaa', /different characters/],
  ])('a weak password (%s) is 422 with the reason, and no account is made', async (_label, password, reason) => {
    const before = await countUsers();
    const body = await expectProblem(await post('/auth/register', { email: uniqueEmail('weak'), password, name: 'Weak' }), 422, 'weak-password');
    expect(body.detail).toMatch(reason);
    expect(body.errors).toEqual([{ in: 'body', field: 'password', message: expect.stringMatching(reason) }]);
    expect(await countUsers()).toBe(before);
  });

  test('a password equal to the e-mail name is refused', async () => {
    await expectProblem(await post('/auth/register', { email: 'margaret.hamilton1936@example.com', password: 'margaret.hamilton1936', name: 'MH' }), 422, 'weak-password');
  });

  test('a duplicate registration (any letter case) is 409 and changes nothing', async () => {
    const before = await countUsers();
    await expectProblem(await post('/auth/register', { email: customer.email.toUpperCase(), password: strongPassword(), name: 'Copycat' }), 409, 'email-already-registered');
    expect(await countUsers()).toBe(before);
  });

  test('malformed bodies: broken JSON, unknown fields, missing fields', async () => {
    await expectProblem(await post('/auth/register', '{"email": "a@b.co",'), 400, 'malformed-json');
    const unknown = await expectProblem(await post('/auth/register', { email: uniqueEmail('x'), password: strongPassword(), name: 'X', role: 'admin' }), 422, 'validation-failed');
    expect(unknown.errors).toContainEqual({ in: 'body', field: 'role', message: 'is not a known field' });
    const missing = await expectProblem(await post('/auth/login', { email: customer.email }), 422, 'validation-failed');
    expect(missing.errors).toContainEqual({ in: 'body', field: 'password', message: 'is required' });
  });
});

describe('sign-in', () => {
  test('a wrong password and an unknown account get the same answer', async () => {
    const sessionsBefore = await countSessions();
    const wrong = await expectProblem(await post('/auth/login', { email: customer.email, password: 'wrong password here' }), 401, 'invalid-credentials');
    const nobody = await expectProblem(await post('/auth/login', { email: uniqueEmail('ghost'), password: 'wrong password here' }), 401, 'invalid-credentials');
    expect(nobody.detail).toBe(wrong.detail);
    expect(await countSessions()).toBe(sessionsBefore);
  });

  test('repeated failures lock the sign-in for a while, whether or not the account exists', async () => {
    const victim = await createActor(app, 'customer');
    for (const email of [victim.email, uniqueEmail('ghost')]) {
      for (let i = 0; i < 3; i++) await post('/auth/login', { email, password: 'guessing again!!' });
      const locked = await expectProblem(await post('/auth/login', { email, password: 'guessing again!!' }), 429, 'rate-limited');
      expect(locked.detail).toMatch(/locked/);
    }
    // Locked means locked: even the right password waits for the window.
    const right = await post('/auth/login', { email: victim.email, password: victim.password });
    expect(right.statusCode).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    // A password reset proves control of the mailbox and lifts the lock.
    await post('/auth/forgot-password', { email: victim.email });
    const mail = await awaitMail(app, victim.email, 'reset-password');
    const fresh = strongPassword();
    expect((await post('/auth/reset-password', { token: mail.token, password: fresh })).statusCode).toBe(204);
    expect((await post('/auth/login', { email: victim.email, password: fresh })).statusCode).toBe(200);
  }, 30_000);
});

describe('tokens', () => {
  const me = (token: string) => app.http.inject({ url: '/auth/me', headers: { authorization: `Bearer ${token}` } });
  const claims = () => ({ sub: customer.id!, typ: 'access', role: 'admin', sid: 'x', mfa: true });

  test('alg none is refused', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const payload = base64url.encode(JSON.stringify({ ...claims(), iss: 'cloudmart', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600 }));
    await expectProblem(await me(`${header}.${payload}.`), 401, 'invalid-token');
  });

  test('a token signed with another key, or with HS256, is refused', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const foreign = await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA' }).setIssuer('cloudmart').setIssuedAt().setExpirationTime('5m').sign(privateKey);
    await expectProblem(await me(foreign), 401, 'invalid-token');
    const hmac = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).setIssuer('cloudmart').setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode('a guessed secret of enough length'));
    await expectProblem(await me(hmac), 401, 'invalid-token');
  });

  test('a payload edited after signing is refused', async () => {
    const [header, payload, signature] = customer.accessToken.split('.');
    const edited = base64url.encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(base64url.decode(payload!))), role: 'admin' }));
    await expectProblem(await me(`${header}.${edited}.${signature}`), 401, 'invalid-token');
  });

  test('an expired token says so', async () => {
    const [row] = await app.database.db.select().from(platformMeta).where(eq(platformMeta.key, 'secret:auth-signing-key'));
    const key = await importPKCS8((row!.value as { value: string }).value, 'EdDSA');
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ sub: customer.id!, typ: 'access' }).setProtectedHeader({ alg: 'EdDSA' }).setIssuer('cloudmart').setIssuedAt(now - 1000).setExpirationTime(now - 60).sign(key);
    await expectProblem(await me(expired), 401, 'token-expired');
  });

  test('a malformed Authorization header is 401', async () => {
    await expectProblem(await app.http.inject({ url: '/auth/me', headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 401, 'unauthorized');
  });

  test('a forged refresh token is 401 and creates no session', async () => {
    const before = await countSessions();
    await expectProblem(await post('/auth/refresh', { refreshToken: 'x'.repeat(43) }), 401, 'invalid-refresh-token');
    expect(await countSessions()).toBe(before);
  });

  test('a forged or tampered MFA challenge is 401', async () => {
    await expectProblem(await post('/auth/mfa/verify', { challengeToken: customer.accessToken, code: '123456' }), 401, 'invalid-challenge');
    await expectProblem(await post('/auth/mfa/verify', { challengeToken: 'not.a.jwt', code: '123456' }), 401, 'invalid-challenge');
  });

  test('a malformed TOTP code is 422; a wrong one is 401 and starts no session', async () => {
    const admin = await createActor(app, 'admin');
    const { challengeToken } = (await post('/auth/login', { email: admin.email, password: admin.password })).json();
    await expectProblem(await post('/auth/mfa/verify', { challengeToken, code: '12ab56' }), 422, 'validation-failed');
    const before = await countSessions();
    await expectProblem(await post('/auth/mfa/verify', { challengeToken, code: '000000' }), 401, 'invalid-mfa-code');
    expect(await countSessions()).toBe(before);
  });
});

describe('e-mailed one-time tokens', () => {
  test('forged, used and expired verification tokens are 400 and verify nothing', async () => {
    const email = uniqueEmail('verify');
    const { id } = (await post('/auth/register', { email, password: strongPassword(), name: 'Vera' })).json();
    await expectProblem(await post('/auth/verify-email', { token: 'f'.repeat(43) }), 400, 'invalid-token');
    const mail = await awaitMail(app, email, 'verify-email');

    await app.database.db.update(oneTimeTokens).set({ expiresAt: new Date(Date.now() - 1000).toISOString() }).where(eq(oneTimeTokens.userId, id));
    await expectProblem(await post('/auth/verify-email', { token: mail.token }), 400, 'token-expired');
    const [still] = await app.database.db.select().from(users).where(eq(users.id, id));
    expect(still!.emailVerifiedAt).toBeNull();

    await app.database.db.update(oneTimeTokens).set({ expiresAt: new Date(Date.now() + 60_000).toISOString() }).where(eq(oneTimeTokens.userId, id));
    expect((await post('/auth/verify-email', { token: mail.token })).statusCode).toBe(204);
    await expectProblem(await post('/auth/verify-email', { token: mail.token }), 400, 'invalid-token');
  });

  test('a reset with a weak password is refused and leaves the token usable', async () => {
    const target = await createActor(app, 'customer');
    await post('/auth/forgot-password', { email: target.email });
    const mail = await awaitMail(app, target.email, 'reset-password');
    await expectProblem(await post('/auth/reset-password', { token: mail.token, password: 'password1234' }), 422, 'weak-password');
    expect((await post('/auth/login', { email: target.email, password: target.password })).statusCode).toBe(200);
    expect((await post('/auth/reset-password', { token: mail.token, password: strongPassword() })).statusCode).toBe(204);
  });

  test('repeated reset requests for one address send at most three mails, with the same answer', async () => {
    const target = await createActor(app, 'customer');
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await post('/auth/forgot-password', { email: target.email })).statusCode);
    expect(answers).toEqual([202, 202, 202, 202, 202]);
    await awaitMail(app, target.email, 'reset-password', 2);
    await new Promise((r) => setTimeout(r, 300));
    const sent = await app.database.db.select().from(devMailbox).where(eq(devMailbox.to, target.email));
    expect(sent.filter((m) => m.template === 'reset-password')).toHaveLength(3);
  });

  test('too many reset requests from one address are 429 with Retry-After', async () => {
    let last = await post('/auth/forgot-password', { email: uniqueEmail('flood') });
    for (let i = 0; i < 45 && last.statusCode !== 429; i++) last = await post('/auth/forgot-password', { email: uniqueEmail('flood') });
    await expectProblem(last, 429, 'rate-limited');
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
  });
});
