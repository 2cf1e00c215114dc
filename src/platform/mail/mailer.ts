import nodemailer, { type Transporter } from 'nodemailer';
import type { Tx } from '../db/database.js';
import { newId } from '../ids.js';
import type { Logger } from '../observability/logger.js';
import { devMailbox } from './schema.js';

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
 * transaction is passed so the dev mailbox row commits with the consumer's inbox row.
 * SMTP is not transactional: a send that succeeds before a failed commit is sent again on
 * redelivery (at least once), which is the right side to err on for one-time links.
 */
export interface Mailer {
  readonly kind: 'smtp' | 'dev-mailbox';
  send(tx: Tx, message: MailMessage): Promise<void>;
  close(): Promise<void>;
}

export class SmtpMailer implements Mailer {
  readonly kind = 'smtp' as const;
  private readonly transport: Transporter;

  constructor(url: string, private readonly from: string) {
    this.transport = nodemailer.createTransport(url);
  }

  async send(_tx: Tx, message: MailMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.from, to: message.to, subject: message.subject, text: message.text,
      ...(message.html ? { html: message.html } : {}), headers: { 'X-CloudMart-Template': message.template },
    });
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/** Stores mail in the database (readable at GET /admin/dev-mailbox) and logs it, for the embedded demo and tests. */
export class DevMailbox implements Mailer {
  readonly kind = 'dev-mailbox' as const;

  constructor(private readonly logger: Logger) {}

  async send(tx: Tx, message: MailMessage): Promise<void> {
    await tx.insert(devMailbox).values({ id: newId(), ...message, html: message.html ?? null, subjectId: message.subjectId ?? null });
    this.logger.info({ to: message.to, subject: message.subject, template: message.template }, `dev mailbox:\n${message.text}`);
  }

  async close(): Promise<void> {}
}

export function createMailer(options: { smtpUrl: string | null; from: string; logger: Logger }): Mailer {
  return options.smtpUrl ? new SmtpMailer(options.smtpUrl, options.from) : new DevMailbox(options.logger);
}
