import type { ModuleDefinition } from '../../platform/module.js';
import type { Tx } from '../../platform/db/database.js';
import { consumer } from '../../platform/events/consumers.js';
import { newId } from '../../platform/ids.js';
import type { MailMessage } from '../../platform/mail/mailer.js';
import { orderConfirmationMail, orderShippedMail } from '../../platform/mail/templates.js';
import { isErasedCustomer } from '../identity/privacy.js';
import { orderCancelled, orderPlaced, orderShipped } from '../orders/events.js';
import { anonymiseErasedCustomerNotifications, notificationsPersonalData } from './privacy.js';
import { notifications } from './schema.js';
import { insertAtCommit } from '../../platform/db/commit-batch.js';

// Written at the transaction's end: a consumer run's records in one insert.
const recorded = insertAtCommit(notifications);

const money = (amount: number, currency: string) => `${(amount / 100).toFixed(2)} ${currency}`;

/** Tells the customer what happened to their order. Each e-mail is sent by an inbox-deduplicated consumer, so once per event. */
export const notificationsModule: ModuleDefinition = {
  name: 'notifications',
  personalData: notificationsPersonalData,
  consumers: [anonymiseErasedCustomerNotifications],
  async setup({ config, mailer }) {
    // An order event published after the customer's erasure, before the orders module has
    // stripped the order, still carries the address: an erased customer gets no more mail.
    const send = async (tx: Tx, { orderId, customerId }: { orderId: string; customerId: string | null }, message: MailMessage) => {
      if (!message.to || (customerId && (await isErasedCustomer(tx, customerId)))) return;
      await mailer.send(tx, { ...message, subjectId: customerId });
      await recorded.add(tx, [{ id: newId(), orderId, customerId, recipient: message.to, template: message.template, subject: message.subject }]);
    };
    const link = (orderId: string) => `${config.publicUrl}/orders/${orderId}`;
    return {
      consumers: [
        consumer('notifications.order-confirmation', orderPlaced, (tx, { payload: o }) =>
          send(tx, o, orderConfirmationMail(o.email, 'there', { number: String(o.number), lines: [], total: money(o.total, o.currency), link: link(o.orderId) }))),
        consumer('notifications.order-shipped', orderShipped, (tx, { payload: o }) =>
          send(tx, o, orderShippedMail(o.email, 'there', { number: String(o.number), tracking: o.trackingNumber, link: link(o.orderId) }))),
        consumer('notifications.order-cancelled', orderCancelled, (tx, { payload: o }) =>
          send(tx, o, {
            template: 'order-cancelled', to: o.email, subject: `Your order ${o.number} was cancelled`,
            text: `Your order ${o.number} was cancelled (${o.reason}). Any payment taken is returned to your card.\n\n— CloudMart`,
          })),
      ],
    };
  },
};
