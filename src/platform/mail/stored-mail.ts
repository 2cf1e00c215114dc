import { asc, eq, or } from 'drizzle-orm';
import type { Db, Tx } from '../db/database.js';
import { devMailbox, outgoingMail } from './schema.js';

/** A stored copy of a message, as the person it was sent to sees it in their data export. */
export interface StoredMail {
  to: string;
  subject: string;
  template: string;
  text: string;
  sentAt: string;
}

/**
 * The copies of mail the dev mailbox holds for one person (with SMTP configured the shop keeps
 * none: the message lives in the recipient's mailbox, not ours). Matched by the subject the
 * sender named and by the address, which also finds mail stored before senders named subjects.
 */
export async function storedMailFor(db: Db, subject: { id: string; address: string }): Promise<StoredMail[]> {
  const rows = await db.select().from(devMailbox).where(addressedTo(devMailbox, subject)).orderBy(asc(devMailbox.sentAt), asc(devMailbox.id));
  return rows.map((r) => ({ to: r.to, subject: r.subject, template: r.template, text: r.text, sentAt: new Date(r.sentAt).toISOString() }));
}

/**
 * Erasure deletes the copies outright: a stored copy exists only to stand in for the recipient's
 * inbox in development, so there is no record to keep (the sending module keeps its own
 * record that a message went out, if it needs one). Mail still queued for the SMTP server goes
 * too: an erased person gets no more mail. Returns how many went.
 */
export async function forgetStoredMail(tx: Tx, subject: { id: string; address: string }): Promise<number> {
  const stored = await tx.delete(devMailbox).where(addressedTo(devMailbox, subject)).returning({ id: devMailbox.id });
  const queued = await tx.delete(outgoingMail).where(addressedTo(outgoingMail, subject)).returning({ id: outgoingMail.id });
  return stored.length + queued.length;
}

const addressedTo = (mail: typeof devMailbox | typeof outgoingMail, subject: { id: string; address: string }) =>
  or(eq(mail.subjectId, subject.id), eq(mail.to, subject.address));
