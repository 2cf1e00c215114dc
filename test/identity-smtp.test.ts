import { count } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { devMailbox } from '../src/platform/mail/schema.js';
import { strongPassword, uniqueEmail } from './support/actors.js';
import { tokenIn } from './support/identity-mail.js';
import { eventually, startTestApp, type TestApp } from './support/test-app.js';

/** A real SMTP server on a free port: the shop's mail goes through nodemailer and the SMTP protocol, not a stub. */
interface Received {
  to: string[];
  raw: string;
}
const received: Received[] = [];
let smtp: SMTPServer;
let app: TestApp;

/** Quoted-printable (RFC 2045 §6.7) undone, so links split across soft line breaks read whole. */
const decodeQuotedPrintable = (text: string) => text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: decodeQuotedPrintable(raw) });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const { port } = smtp.server.address() as AddressInfo;
  app = await startTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Shop <shop@example.com>', PUBLIC_URL: 'https://shop.example.com' } });
});
afterAll(async () => {
  await app?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const post = (url: string, payload: unknown) => app.http.inject({ method: 'POST', url, payload: payload as never });

async function mailTo(address: string, template: string, seen = 0): Promise<Received> {
  return eventually(async () => {
    const found = received.filter((m) => m.to.includes(address) && m.raw.toLowerCase().includes(`x-cloudmart-template: ${template}`));
    return found.length > seen ? found.at(-1) : null;
  });
}

test('register → verify → login → refresh → forgot → reset, with every e-mail through SMTP', async () => {
  const email = uniqueEmail('smtp');
  const password = strongPassword();
  expect((await post('/auth/register', { email, password, name: 'Grace Hopper' })).statusCode).toBe(201);

  const verification = await mailTo(email, 'verify-email');
  expect(verification.raw).toMatch(/^From: Shop <shop@example\.com>/m);
  expect(verification.raw).toMatch(/^Subject: Confirm your e-mail address/m);
  expect(verification.raw).toContain('Hello Grace Hopper');
  expect(verification.raw).toContain('https://shop.example.com/account/verify-email?token=');
  expect((await post('/auth/verify-email', { token: tokenIn(verification.raw) })).statusCode).toBe(204);

  const login = await post('/auth/login', { email, password });
  expect(login.json()).toMatchObject({ user: { emailVerified: true } });
  const refreshed = await post('/auth/refresh', { refreshToken: login.json().refreshToken });
  expect(refreshed.statusCode).toBe(200);

  expect((await post('/auth/forgot-password', { email })).statusCode).toBe(202);
  const reset = await mailTo(email, 'reset-password');
  expect(reset.raw).toMatch(/^Subject: Reset your password/m);
  const newPassword = strongPassword();
  expect((await post('/auth/reset-password', { token: tokenIn(reset.raw), password: newPassword })).statusCode).toBe(204);
  expect((await post('/auth/refresh', { refreshToken: refreshed.json().refreshToken })).statusCode).toBe(401);
  expect((await post('/auth/login', { email, password: newPassword })).statusCode).toBe(200);

  // With SMTP configured nothing lands in the dev mailbox.
  expect((await app.database.db.select({ n: count() }).from(devMailbox))[0]!.n).toBe(0);
});
