import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { consumer } from '../../platform/events/consumers.js';
import type { PersonalDataPart } from '../../platform/module.js';
import { customerErased } from '../identity/events.js';
import { notifications } from './schema.js';

/**
 * The messages the shop sent the customer about their orders: to whom, what and when. The
 * text itself is not kept here (it went to their mailbox); the development mailbox's copies
 * are in the export's `storedMail`.
 */
export const notificationsPersonalData: PersonalDataPart = {
  key: 'notifications',
  async export(db: Db, customerId: string) {
    const rows = await db.select().from(notifications).where(eq(notifications.customerId, customerId)).orderBy(asc(notifications.sentAt), asc(notifications.id));
    return rows.map((n) => ({ id: n.id, orderId: n.orderId, template: n.template, to: n.recipient, subject: n.subject, sentAt: new Date(n.sentAt).toISOString() }));
  },
};

/**
 * After erasure a notification says only that a message of a kind went out for an order at
 * a time (e.g. that the order confirmation was sent), which is what a dispute or an audit
 * asks; the address and the subject line go, so no free text about the person is left. The
 * order behind it keeps its own record, which the orders module anonymises.
 */
export const anonymiseErasedCustomerNotifications = consumer('notifications.anonymise-erased-customer', customerErased, async (tx, { payload }) => {
  await tx.update(notifications).set({ recipient: '', subject: '' }).where(eq(notifications.customerId, payload.customerId));
});
