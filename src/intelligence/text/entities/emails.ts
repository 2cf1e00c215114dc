/**
 * E-mail addresses in free text: a pragmatic subset of RFC 5322 §3.4.1 addr-spec (dot-atom
 * local part, dotted domain with a letter TLD), which is what customers type; quoted local parts
 * and IP-literal domains are left out on purpose, they only produce false positives in chat.
 */
import type { EntitySpan } from './entity.js';

export interface EmailEntity extends EntitySpan {
  kind: 'email';
  /** Lower-cased domain, local part as typed (local parts may be case-sensitive). */
  value: string;
}

const EMAIL = /(?<![\w.+-])[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g;

export function findEmails(text: string): EmailEntity[] {
  const out: EmailEntity[] = [];
  for (const m of text.matchAll(EMAIL)) {
    const raw = m[0];
    const at = raw.lastIndexOf('@');
    out.push({ kind: 'email', start: m.index, end: m.index + raw.length, text: raw, value: `${raw.slice(0, at)}@${raw.slice(at + 1).toLowerCase()}` });
  }
  return out;
}
