import { asc, eq, inArray, lte, sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import { backoffWithJitter } from '../backoff.js';
import { BackgroundPass } from '../background-pass.js';
import type { Database, Db, Tx } from '../db/database.js';
import { insertAtCommit } from '../db/commit-batch.js';
import { newId } from '../ids.js';
import type { Logger } from '../observability/logger.js';
import { devMailbox, outgoingMail } from './schema.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  template: string;
  /**
   * Whose personal data the message is (the recipient's account id), when the sender knows:
   * a stored copy is then found by that person's data export and removed by their erasure.
   */
  subjectId?: string | null;
}

/**
 * Sends mail. Called from event consumers only, never inside a request: the consumer's
 * transaction is passed so the message commits with the consumer's inbox row, and goes out
 * only if they do.
 */
export interface Mailer {
  readonly kind: 'smtp' | 'dev-mailbox';
  send(tx: Tx, message: MailMessage): Promise<void>;
  /** Starts delivering what was queued (roles all and worker). */
  start(): void;
  close(): Promise<void>;
}

const messageRow = (message: MailMessage) => ({ id: newId(), ...message, html: message.html ?? null, subjectId: message.subjectId ?? null });

/** Messages sent per pass, each on its own SMTP connection. */
const BATCH = 8;
/** How long an attempt may take before another process tries the message again. */
const LEASE_MS = 10 * 60_000;
const POLL_MS = 5_000;
const MAX_BACKOFF_MS = 3600_000;
/** With the longest backoff an hour, about a day of trying: every link in the message has expired by then. */
const MAX_ATTEMPTS = 30;
/** A connection, greeting or answer that takes longer fails the attempt (retried later). */
const SOCKET_TIMEOUT_MS = 60_000;

export interface SmtpOptions {
  url: string;
  from: string;
  logger: Logger;
  /** The first retry's delay; later ones double, up to an hour. */
  retryMs: number;
}

/**
 * Mail through an SMTP server, from the `outgoing_mail` queue: SMTP is not transactional, so
 * a message sent from inside the transaction would reach the recipient before what it speaks
 * of is committed (a link to a token that does not exist yet, or never will after a rollback).
 * The queue's row commits with the sender's work; a pass after the commit sends it and deletes
 * it. A crash between the send and the delete sends it again: at least once is the right side
 * to err on for one-time links. Every background process sends; row leases keep them apart.
 */
export class SmtpMailer implements Mailer {
  readonly kind = 'smtp' as const;
  private readonly transport: Transporter;
  private readonly passes: BackgroundPass;
  private shutDown: () => void = () => {};
  private readonly shuttingDown = new Promise<void>((resolve) => (this.shutDown = resolve));

  constructor(private readonly database: Database, private readonly options: SmtpOptions) {
    this.transport = nodemailer.createTransport(withTimeouts(options.url));
    this.passes = new BackgroundPass(POLL_MS, () => this.drain(), (error) => options.logger.warn({ err: error }, 'mail pass failed'));
  }

  async send(tx: Tx, message: MailMessage): Promise<void> {
    await tx.insert(outgoingMail).values(messageRow(message));
    this.database.afterCommit(tx, () => this.passes.nudge());
  }

  start(): void {
    this.passes.start();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = await claimDueMail(this.database.db, BATCH, LEASE_MS);
      if (batch.length === 0 || this.passes.isStopped) return;
      await Promise.all(batch.map((mail) => this.attempt(mail)));
      if (batch.length < BATCH) return;
    }
  }

  private async attempt(mail: QueuedMail): Promise<void> {
    const db = this.database.db;
    try {
      const sending = this.transport.sendMail({
        from: this.options.from, to: mail.to, subject: mail.subject, text: mail.text,
        ...(mail.html ? { html: mail.html } : {}), headers: { 'X-CloudMart-Template': mail.template },
      });
      if (await Promise.race([sending.then(() => false), this.shuttingDown.then(() => true)])) {
        sending.catch(() => {}); // whatever the server answers now, the message is handed back
        await this.handBack(mail.id);
        return;
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (mail.attempts >= MAX_ATTEMPTS) {
        this.options.logger.error({ mailId: mail.id, template: mail.template, attempts: mail.attempts, error: message }, 'mail given up');
        await db.delete(outgoingMail).where(eq(outgoingMail.id, mail.id));
        return;
      }
      const delayMs = backoffWithJitter(this.options.retryMs, mail.attempts, MAX_BACKOFF_MS);
      this.options.logger.warn({ mailId: mail.id, template: mail.template, attempts: mail.attempts, retryInMs: delayMs, error: message }, 'mail not sent; will retry');
      await db.update(outgoingMail).set({ dueAt: sql`now() + make_interval(secs => ${delayMs / 1000})`, lastError: message })
        .where(eq(outgoingMail.id, mail.id));
      if (delayMs < POLL_MS) setTimeout(() => this.passes.nudge(), delayMs).unref();
      return;
    }
    await db.delete(outgoingMail).where(eq(outgoingMail.id, mail.id));
  }

  /** Due again now and not counted as an attempt: a send cut off by a shutdown, for another process or the next start. */
  private async handBack(mailId: string): Promise<void> {
    await this.database.db.update(outgoingMail).set({ dueAt: sql`now()`, attempts: sql`${outgoingMail.attempts} - 1`, lastError: 'interrupted by shutdown' })
      .where(eq(outgoingMail.id, mailId));
  }

  /**
   * Stops sending. A send in flight is not waited for: a silent server would hold the shutdown
   * until nodemailer's socket timeout, and the message its ten-minute lease. It is handed back
   * instead (sent twice if the server was only slow: at least once, as everywhere here), and its
   * connection gives up by SOCKET_TIMEOUT_MS.
   */
  async close(): Promise<void> {
    this.shutDown();
    await this.passes.stop();
    this.transport.close();
  }
}

/** The SMTP URL with bounded waits for a silent server (nodemailer reads its options from the query, and waits ten minutes by default). */
function withTimeouts(url: string): string {
  const parsed = new URL(url);
  for (const option of ['connectionTimeout', 'greetingTimeout', 'socketTimeout']) {
    if (!parsed.searchParams.has(option)) parsed.searchParams.set(option, String(SOCKET_TIMEOUT_MS));
  }
  return parsed.toString();
}

type QueuedMail = typeof outgoingMail.$inferSelect;

/** Takes the due messages for one attempt each: the lease (a later due time) keeps other processes off them meanwhile. */
async function claimDueMail(db: Db, limit: number, leaseMs: number): Promise<QueuedMail[]> {
  return db.transaction(async (tx) => {
    const due = await tx.select({ id: outgoingMail.id }).from(outgoingMail).where(lte(outgoingMail.dueAt, sql`now()`))
      .orderBy(asc(outgoingMail.dueAt)).limit(limit).for('update', { skipLocked: true });
    if (due.length === 0) return [];
    return tx.update(outgoingMail)
      .set({ attempts: sql`${outgoingMail.attempts} + 1`, dueAt: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
      .where(inArray(outgoingMail.id, due.map((d) => d.id))).returning();
  });
}

// Stored at the transaction's end: a consumer run's mail in one insert.
const stored = insertAtCommit(devMailbox);

/** Stores mail in the database (readable at GET /admin/dev-mailbox) and logs it, for the embedded demo and tests. */
export class DevMailbox implements Mailer {
  readonly kind = 'dev-mailbox' as const;

  constructor(private readonly logger: Logger) {}

  async send(tx: Tx, message: MailMessage): Promise<void> {
    await stored.add(tx, [messageRow(message)]);
    this.logger.info({ to: message.to, subject: message.subject, template: message.template }, `dev mailbox:\n${message.text}`);
  }

  start(): void {}

  async close(): Promise<void> {}
}

export function createMailer(database: Database, options: { smtpUrl: string | null; from: string; logger: Logger; retryMs: number }): Mailer {
  return options.smtpUrl ? new SmtpMailer(database, { ...options, url: options.smtpUrl }) : new DevMailbox(options.logger);
}
