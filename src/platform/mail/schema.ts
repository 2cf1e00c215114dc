import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A message as both tables hold it (MailMessage's fields); a function, since each table needs its own column builders. */
const messageColumns = () => ({
  id: uuid('id').primaryKey(),
  to: text('to').notNull(),
  subject: text('subject').notNull(),
  text: text('text').notNull(),
  html: text('html'),
  /** What the message is (verify-email, reset-password, order-confirmation…), for tests and the admin view. */
  template: text('template').notNull(),
  /** Whose personal data the message is (the recipient's account id, when the sender knows it), so their export and erasure find it. */
  subjectId: text('subject_id'),
});

/** Where mail goes when no SMTP server is configured, so the embedded demo's e-mail flows work end to end. */
export const devMailbox = pgTable('dev_mailbox', {
  ...messageColumns(),
  sentAt: timestamp('sent_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
}, (t) => [index('dev_mailbox_to').on(t.to, t.sentAt), index('dev_mailbox_subject').on(t.subjectId)]);

/**
 * Mail waiting for the SMTP server. A sender writes its message here in its own transaction, so
 * the message leaves only once what it speaks of (a one-time token, an order) is committed, and
 * leaves again after a crash or an SMTP failure (at least once). Sent rows are deleted: the
 * shop keeps no copy of what it mailed.
 */
export const outgoingMail = pgTable('outgoing_mail', {
  ...messageColumns(),
  attempts: integer('attempts').notNull().default(0),
  /** When the next attempt is due; while an attempt runs, the end of its lease. */
  dueAt: timestamp('due_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  lastError: text('last_error'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
}, (t) => [index('outgoing_mail_due').on(t.dueAt), index('outgoing_mail_subject').on(t.subjectId)]);
