import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createStaffUser } from '../src/modules/identity/accounts.js';
import { strongPassword, totpCode, uniqueEmail } from './support/actors.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app?.close());

const post = (url: string, payload?: unknown, token?: string) =>
  app.http.inject({ method: 'POST', url, payload: payload as never, headers: token ? { authorization: `Bearer ${token}` } : {} });

async function staffMember(role: 'staff' | 'admin') {
  const email = uniqueEmail(role);
  const password = strongPassword();
  await createStaffUser(app.database, null, { email, password, name: `Test ${role}`, role });
  const session = (await post('/auth/login', { email, password })).json();
  return { email, password, token: session.accessToken as string };
}

/** The code of the next 30-second step: the current one is spent by enrolment, and codes are single-use. */
const nextStepCode = (secret: string) => totpCode(secret, Date.now() + 30_000);

describe('TOTP enrolment and sign-in challenge', () => {
  test('enrol with a QR-code URI, then sign-in needs the second factor', async () => {
    const staff = await staffMember('staff');
    const enrol = await post('/auth/mfa/enroll', undefined, staff.token);
    expect(enrol.statusCode).toBe(200);
    const { secret, otpauthUri } = enrol.json();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/CloudMart:.+secret=[A-Z2-7]+/);
    expect(otpauthUri).toContain('issuer=CloudMart');

    const wrong = await post('/auth/mfa/confirm', { code: totpCode(secret) === '000000' ? '111111' : '000000' }, staff.token);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ type: '/problems/invalid-mfa-code' });

    const confirmed = await post('/auth/mfa/confirm', { code: totpCode(secret) }, staff.token);
    expect(confirmed.statusCode).toBe(200);
    const codes = confirmed.json().recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);

    const login = await post('/auth/login', { email: staff.email, password: staff.password });
    expect(login.json()).toMatchObject({ mfaRequired: true });
    expect(login.json().accessToken).toBeUndefined();
    const { challengeToken } = login.json();

    // The code used for enrolment cannot be replayed.
    const replay = await post('/auth/mfa/verify', { challengeToken, code: totpCode(secret) });
    expect(replay.statusCode).toBe(401);
    const verified = await post('/auth/mfa/verify', { challengeToken, code: nextStepCode(secret) });
    expect(verified.statusCode, verified.body).toBe(200);
    const me = await app.http.inject({ url: '/auth/me', headers: { authorization: `Bearer ${verified.json().accessToken}` } });
    expect(me.json()).toMatchObject({ mfaEnabled: true, mfaSession: true });

    // A challenge token is not an access token.
    expect((await app.http.inject({ url: '/auth/me', headers: { authorization: `Bearer ${challengeToken}` } })).statusCode).toBe(401);
  });

  test('recovery codes work once each', async () => {
    const staff = await staffMember('staff');
    const { secret } = (await post('/auth/mfa/enroll', undefined, staff.token)).json();
    const { recoveryCodes } = (await post('/auth/mfa/confirm', { code: totpCode(secret) }, staff.token)).json();
    const challenge = async () => (await post('/auth/login', { email: staff.email, password: staff.password })).json().challengeToken;
    expect((await post('/auth/mfa/verify', { challengeToken: await challenge(), recoveryCode: recoveryCodes[0].toLowerCase() })).statusCode).toBe(200);
    const again = await post('/auth/mfa/verify', { challengeToken: await challenge(), recoveryCode: recoveryCodes[0] });
    expect(again.statusCode).toBe(401);
    expect((await post('/auth/mfa/verify', { challengeToken: await challenge(), recoveryCode: recoveryCodes[1] })).statusCode).toBe(200);
  });

  test('disabling needs the password and a code', async () => {
    const staff = await staffMember('staff');
    const { secret } = (await post('/auth/mfa/enroll', undefined, staff.token)).json();
    await post('/auth/mfa/confirm', { code: totpCode(secret) }, staff.token);
    const noPassword = await post('/auth/mfa/disable', { password: 'not the password!', code: nextStepCode(secret) }, staff.token);
    expect(noPassword.statusCode).toBe(401);
    expect(noPassword.json()).toMatchObject({ type: '/problems/reauthentication-failed' });
    const disabled = await post('/auth/mfa/disable', { password: staff.password, code: nextStepCode(secret) }, staff.token);
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json()).toMatchObject({ mfaEnabled: false });
    expect((await post('/auth/login', { email: staff.email, password: staff.password })).json().accessToken).toBeDefined();
  });
});

describe('admins must use MFA', () => {
  test('an admin without MFA reaches only their account and enrolment', async () => {
    const admin = await staffMember('admin');
    const me = await app.http.inject({ url: '/auth/me', headers: { authorization: `Bearer ${admin.token}` } });
    expect(me.statusCode).toBe(200);
    const users = await app.http.inject({ url: '/admin/users', headers: { authorization: `Bearer ${admin.token}` } });
    expect(users.statusCode).toBe(403);
    expect(users.json()).toMatchObject({ type: '/problems/mfa-required' });

    const { secret } = (await post('/auth/mfa/enroll', undefined, admin.token)).json();
    const { recoveryCodes } = (await post('/auth/mfa/confirm', { code: totpCode(secret) }, admin.token)).json();
    // The session that enrolled did not pass the second factor; a new sign-in must.
    expect((await app.http.inject({ url: '/admin/users', headers: { authorization: `Bearer ${admin.token}` } })).statusCode).toBe(403);
    const { challengeToken } = (await post('/auth/login', { email: admin.email, password: admin.password })).json();
    const session = (await post('/auth/mfa/verify', { challengeToken, recoveryCode: recoveryCodes[0] })).json();
    expect((await app.http.inject({ url: '/admin/users', headers: { authorization: `Bearer ${session.accessToken}` } })).statusCode).toBe(200);
  });
});
