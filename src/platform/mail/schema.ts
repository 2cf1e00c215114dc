import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Where mail goes when no SMTP server is configured, so the embedded demo's e-mail flows work end to end. */
export const devMailbox = pgTable('dev_mailbox', {
  id: uuid('id').primaryKey(),
  to: text('to').notNull(),
  subject: text('subject').notNull(),
  text: text('text').notNull(),
  html: text('html'),
  /** What the message is (verify-email, reset-password, order-confirmation…), for tests and the admin view. */
  template: text('template').notNull(),
  /** Whose personal data the message is (the recipient's account id, when the sender knows it), so their export and erasure find it. */
  subjectId: text('subject_id'),
  sentAt: timestamp('sent_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
}, (t) => [index('dev_mailbox_to').on(t.to, t.sentAt), index('dev_mailbox_subject').on(t.subjectId)]);
