/**
 * The shop's e-mails as plain functions of their data: a text part (always) and a small
 * HTML part. Values are escaped for HTML; links are built by the caller from PUBLIC_URL.
 */
import type { MailMessage } from './mailer.js';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function message(template: string, to: string, subject: string, paragraphs: string[], link?: { label: string; url: string }): MailMessage {
  const text = [...paragraphs, ...(link ? [`${link.label}: ${link.url}`] : []), '', '— CloudMart'].join('\n\n');
  const html = [...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`), ...(link ? [`<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`] : []), '<p>— CloudMart</p>'].join('\n');
  return { template, to, subject, text, html };
}

export function verifyEmailMail(to: string, name: string, link: string): MailMessage {
  return message('verify-email', to, 'Confirm your e-mail address', [`Hello ${name},`, 'Please confirm your e-mail address to finish setting up your account. The link works once and expires in 24 hours.'], { label: 'Confirm my e-mail address', url: link });
}

export function resetPasswordMail(to: string, name: string, link: string): MailMessage {
  return message('reset-password', to, 'Reset your password', [`Hello ${name},`, 'Someone asked to reset the password of your account. If it was you, use the link below within 30 minutes; it works once. If it was not you, ignore this e-mail: your password stays as it is.'], { label: 'Choose a new password', url: link });
}

export interface OrderMailLine {
  name: string;
  quantity: number;
  /** Already formatted with its currency, e.g. "€12.50". */
  total: string;
}

export function orderConfirmationMail(to: string, name: string, order: { number: string; lines: OrderMailLine[]; total: string; link: string }): MailMessage {
  const lines = order.lines.map((l) => `${l.quantity} × ${l.name}: ${l.total}`);
  return message('order-confirmation', to, `Your order ${order.number}`, [`Hello ${name},`, `Thank you for your order ${order.number}.`, ...lines, `Total: ${order.total}`], { label: 'See your order', url: order.link });
}

export function orderShippedMail(to: string, name: string, order: { number: string; tracking: string | null; link: string }): MailMessage {
  return message('order-shipped', to, `Your order ${order.number} is on its way`, [`Hello ${name},`, `Your order ${order.number} has shipped.${order.tracking ? ` Tracking: ${order.tracking}.` : ''}`], { label: 'Track your order', url: order.link });
}
