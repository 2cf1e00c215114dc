import { count, eq } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SmtpMailer } from '../src/platform/mail/mailer.js';
import { devMailbox, outgoingMail } from '../src/platform/mail/schema.js';
import { strongPassword, uniqueEmail } from './support/actors.js';
import { tokenIn } from './support/identity-mail.js';
import { eventually, startTestApp, type TestApp } from './support/test-app.js';

/** A real SMTP server on a free port: the shop's mail goes through nodemailer and the SMTP protocol, not a stub. */
interface Received {
  to: string[];
  raw: string;
}
const received: Received[] = [];
/** Runs while the shop's SMTP client still waits for the server's answer to this message. */
let onArrival: ((mail: Received) => Promise<void>) | null = null;
/** Addresses whose next message the server refuses with a temporary failure, as a busy or greylisting server does. */
const refuseNextFor = new Set<string>();
/** Addresses whose mail the server refuses every time (a mailbox that is full for days). */
const refuseAllFor = new Set<string>();
const refusals: string[] = [];
let smtp: SMTPServer;
let app: TestApp;
let smtpUrl: string;

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
        const mail = { to: session.envelope.rcptTo.map((r) => r.address), raw: decodeQuotedPrintable(raw) };
        const refused = mail.to.find((to) => refuseNextFor.delete(to) || refuseAllFor.has(to));
        if (refused) {
          refusals.push(refused);
          done(Object.assign(new Error('Greylisted, try again later'), { responseCode: 451 }));
          return;
        }
        received.push(mail);
        void (onArrival?.(mail) ?? Promise.resolve()).finally(() => done());
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const { port } = smtp.server.address() as AddressInfo;
  smtpUrl = `smtp://127.0.0.1:${port}`;
  app = await startTestApp({ env: { SMTP_URL: smtpUrl, MAIL_FROM: 'Shop <shop@example.com>', PUBLIC_URL: 'https://shop.example.com', MAIL_RETRY_MS: '50' } });
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

test('the link in a mail works the moment the mail arrives: the mail leaves after the token is committed', async () => {
  const email = uniqueEmail('smtp-arrival');
  const statusOnArrival: number[] = [];
  onArrival = async (mail) => {
    if (!mail.to.includes(email)) return;
    // Asked before the SMTP server answers: a shop that sent the mail inside the token's open
    // transaction has not committed the token yet (or, on the one embedded connection, makes
    // this request wait for a transaction that waits for this answer).
    const verify = post('/auth/verify-email', { token: tokenIn(mail.raw) }).then((r) => r.statusCode);
    statusOnArrival.push(await Promise.race([verify, new Promise<number>((r) => setTimeout(() => r(0), 2000))]));
  };
  try {
    expect((await post('/auth/register', { email, password: strongPassword(), name: 'Ada Lovelace' })).statusCode).toBe(201);
    await mailTo(email, 'verify-email');
    await eventually(async () => statusOnArrival.length > 0);
    expect(statusOnArrival).toEqual([204]);
  } finally {
    onArrival = null;
  }
});

test('a message the SMTP server refuses is sent again, and the queue is empty once it is accepted', async () => {
  const email = uniqueEmail('smtp-refused');
  refuseNextFor.add(email);
  expect((await post('/auth/register', { email, password: strongPassword(), name: 'Edsger Dijkstra' })).statusCode).toBe(201);
  const verification = await mailTo(email, 'verify-email');
  expect(refusals).toContain(email);
  expect(received.filter((m) => m.to.includes(email))).toHaveLength(1);
  expect((await post('/auth/verify-email', { token: tokenIn(verification.raw) })).statusCode).toBe(204);
  await eventually(async () => (await app.database.db.select({ n: count() }).from(outgoingMail))[0]!.n === 0);
});

test('mail queued in a transaction that rolls back is never sent', async () => {
  const mailer = new SmtpMailer(app.database, { url: smtpUrl, from: 'Shop <shop@example.com>', logger: app.logger, retryMs: 50 });
  mailer.start();
  const message = (to: string) => ({ to, subject: 'Hello', text: 'Hello', template: 'rollback-probe' });
  const [kept, rolledBack] = [uniqueEmail('smtp-kept'), uniqueEmail('smtp-rolled-back')];
  try {
    await expect(app.database.transaction(async (tx) => {
      await mailer.send(tx, message(rolledBack));
      throw new Error('the sender failed after queueing its mail');
    })).rejects.toThrow('the sender failed');
    await app.database.transaction((tx) => mailer.send(tx, message(kept)));
    await mailTo(kept, 'rollback-probe');
    expect(received.filter((m) => m.to.includes(rolledBack))).toEqual([]);
  } finally {
    await mailer.close();
  }
});

test('mail still queued for a customer who erases their account is never sent', async () => {
  const email = uniqueEmail('smtp-erased');
  const password = strongPassword();
  refuseAllFor.add(email);
  expect((await post('/auth/register', { email, password, name: 'Alan Turing' })).statusCode).toBe(201);
  await eventually(async () => refusals.includes(email));
  const { accessToken } = (await post('/auth/login', { email, password })).json<{ accessToken: string }>();
  const erase = await app.http.inject({ method: 'POST', url: '/store/me/erase', headers: { authorization: `Bearer ${accessToken}` }, payload: { password } });
  expect(erase.statusCode, erase.body).toBe(204);
  expect(await app.database.db.select().from(outgoingMail).where(eq(outgoingMail.to, email))).toEqual([]);
  refuseAllFor.delete(email);
});

test('a shutdown does not wait on a silent SMTP server: the send is cut off and the message is due again at once', async () => {
  // A shop of its own, its background off, so only this mailer sends from its queue.
  const shop = await startTestApp({ background: false });
  const mailer = new SmtpMailer(shop.database, { url: smtpUrl, from: 'Shop <shop@example.com>', logger: shop.logger, retryMs: 50 });
  const to = uniqueEmail('held');
  let answer = () => {};
  const silence = new Promise<void>((resolve) => (answer = resolve));
  onArrival = async (mail) => (mail.to.includes(to) ? silence : undefined);
  try {
    await shop.database.transaction((tx) => mailer.send(tx, { to, subject: 'Held up', text: 'The server never answers this one', template: 'test' }));
    mailer.start();
    await eventually(async () => received.some((mail) => mail.to.includes(to)));
    const closing = Date.now();
    await mailer.close();
    expect(Date.now() - closing).toBeLessThan(2000);
    const [queued] = await shop.database.db.select().from(outgoingMail).where(eq(outgoingMail.to, to));
    // Not counted as an attempt, and no ten-minute lease left on it: the next process sends it now.
    expect(queued).toMatchObject({ attempts: 0 });
    expect(new Date(queued?.dueAt ?? 0).getTime()).toBeLessThanOrEqual(Date.now());
  } finally {
    onArrival = null;
    answer();
    await shop.close();
  }
});
