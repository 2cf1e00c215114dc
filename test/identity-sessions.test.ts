import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { strongPassword, uniqueEmail } from './support/actors.js';
import { awaitMail } from './support/identity-mail.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app?.close());

const post = (url: string, payload?: unknown, headers: Record<string, string> = {}) => app.http.inject({ method: 'POST', url, payload: payload as never, headers });
const me = (token: string) => app.http.inject({ url: '/auth/me', headers: { authorization: `Bearer ${token}` } });

async function registered() {
  const email = uniqueEmail('shopper');
  const password = strongPassword();
  const response = await post('/auth/register', { email, password, name: 'Ada Shopper' });
  expect(response.statusCode, response.body).toBe(201);
  return { email, password, id: response.json().id as string };
}

describe('register → verify → login → refresh → logout', () => {
  test('the whole journey through the dev mailbox', async () => {
    const { email, password, id } = await registered();
    const mail = await awaitMail(app, email, 'verify-email');
    expect(mail.subject).toMatch(/Confirm/);
    expect((await post('/auth/verify-email', { token: mail.token })).statusCode).toBe(204);

    const login = await post('/auth/login', { email: email.toUpperCase(), password });
    expect(login.statusCode).toBe(200);
    const session = login.json();
    expect(session).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { id, emailVerified: true, role: 'customer' } });
    expect(login.headers['cache-control']).toBe('no-store');
    expect((await me(session.accessToken)).json()).toMatchObject({ id, emailVerified: true, permissions: expect.arrayContaining(['orders:read:own']) });

    const refreshed = await post('/auth/refresh', { refreshToken: session.refreshToken });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.json().refreshToken).not.toBe(session.refreshToken);
    expect((await me(refreshed.json().accessToken)).statusCode).toBe(200);

    expect((await post('/auth/logout', { refreshToken: refreshed.json().refreshToken })).statusCode).toBe(204);
    expect((await post('/auth/refresh', { refreshToken: refreshed.json().refreshToken })).statusCode).toBe(401);
    expect((await me(refreshed.json().accessToken)).statusCode).toBe(401);
  });

  test('a refresh token used twice revokes its whole family (theft detection)', async () => {
    const { email, password } = await registered();
    const first = (await post('/auth/login', { email, password })).json();
    const second = (await post('/auth/refresh', { refreshToken: first.refreshToken })).json();
    const third = (await post('/auth/refresh', { refreshToken: second.refreshToken })).json();

    const replay = await post('/auth/refresh', { refreshToken: first.refreshToken });
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ type: '/problems/refresh-token-reused' });
    // The legitimate holder's newest token and its access token die with the family.
    expect((await post('/auth/refresh', { refreshToken: third.refreshToken })).statusCode).toBe(401);
    expect((await me(third.accessToken)).statusCode).toBe(401);
    // Another sign-in of the same person is another family and keeps working.
    const other = (await post('/auth/login', { email, password })).json();
    expect((await me(other.accessToken)).statusCode).toBe(200);
  });

  test('two refreshes racing with one token: one wins, the family is revoked', async () => {
    const { email, password } = await registered();
    const first = (await post('/auth/login', { email, password })).json();
    const answers = await Promise.all([post('/auth/refresh', { refreshToken: first.refreshToken }), post('/auth/refresh', { refreshToken: first.refreshToken })]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 401]);
  });

  test('log out everywhere ends every session of the account', async () => {
    const { email, password } = await registered();
    const laptop = (await post('/auth/login', { email, password })).json();
    const phone = (await post('/auth/login', { email, password })).json();
    expect((await post('/auth/logout-everywhere', undefined, { authorization: `Bearer ${laptop.accessToken}` })).statusCode).toBe(204);
    expect((await me(phone.accessToken)).statusCode).toBe(401);
    expect((await post('/auth/refresh', { refreshToken: phone.refreshToken })).statusCode).toBe(401);
  });
});

describe('browser sessions: HttpOnly cookie with CSRF protection', () => {
  test('the refresh token lives in a cookie and refresh needs the CSRF header', async () => {
    const { email, password } = await registered();
    const login = await post('/auth/login', { email, password, session: 'cookie' });
    expect(login.statusCode).toBe(200);
    const body = login.json();
    expect(body.refreshToken).toBeUndefined();
    const cookies = login.headers['set-cookie'] as string[];
    const refreshCookie = cookies.find((c) => c.startsWith('cm_refresh='))!;
    expect(refreshCookie).toMatch(/HttpOnly/);
    expect(refreshCookie).toMatch(/Secure/);
    expect(refreshCookie).toMatch(/SameSite=Strict/);
    expect(refreshCookie).toMatch(/Path=\/auth/);
    const cookieHeader = refreshCookie.split(';')[0]!;

    const forged = await post('/auth/refresh', undefined, { cookie: cookieHeader });
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ type: '/problems/csrf-failed' });
    const wrong = await post('/auth/refresh', undefined, { cookie: cookieHeader, 'x-csrf-token': 'not-the-token' });
    expect(wrong.statusCode).toBe(403);

    const refreshed = await post('/auth/refresh', undefined, { cookie: cookieHeader, 'x-csrf-token': body.csrfToken });
    expect(refreshed.statusCode).toBe(200);
    const next = (refreshed.headers['set-cookie'] as string[]).find((c) => c.startsWith('cm_refresh='))!.split(';')[0]!;
    expect(next).not.toBe(cookieHeader);
    expect((await post('/auth/logout', undefined, { cookie: next, 'x-csrf-token': body.csrfToken })).statusCode).toBe(204);
    expect((await post('/auth/refresh', undefined, { cookie: next, 'x-csrf-token': body.csrfToken })).statusCode).toBe(401);
  });
});

describe('passwords', () => {
  test('forgot → e-mailed single-use reset → new password works, old one and every session do not', async () => {
    const { email, password } = await registered();
    const session = (await post('/auth/login', { email, password })).json();
    const answer = await post('/auth/forgot-password', { email });
    expect(answer.statusCode).toBe(202);
    const unknown = await post('/auth/forgot-password', { email: uniqueEmail('nobody') });
    expect(unknown.statusCode).toBe(202);
    expect(unknown.json()).toEqual(answer.json());

    const mail = await awaitMail(app, email, 'reset-password');
    const newPassword = strongPassword();
    expect((await post('/auth/reset-password', { token: mail.token, password: newPassword })).statusCode).toBe(204);
    expect((await me(session.accessToken)).statusCode).toBe(401);
    expect((await post('/auth/refresh', { refreshToken: session.refreshToken })).statusCode).toBe(401);
    expect((await post('/auth/login', { email, password })).statusCode).toBe(401);
    expect((await post('/auth/login', { email, password: newPassword })).statusCode).toBe(200);
    const again = await post('/auth/reset-password', { token: mail.token, password: strongPassword() });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ type: '/problems/invalid-token' });
  });

  test('change password needs the current one and ends the sessions', async () => {
    const { email, password } = await registered();
    const session = (await post('/auth/login', { email, password })).json();
    const auth = { authorization: `Bearer ${session.accessToken}` };
    const wrong = await post('/auth/change-password', { currentPassword: 'not my password at all', newPassword: strongPassword() }, auth);
    expect(wrong.statusCode).toBe(403);
    const next = strongPassword();
    expect((await post('/auth/change-password', { currentPassword: password, newPassword: next }, auth)).statusCode).toBe(204);
    expect((await me(session.accessToken)).statusCode).toBe(401);
    expect((await post('/auth/login', { email, password: next })).statusCode).toBe(200);
  });
});
