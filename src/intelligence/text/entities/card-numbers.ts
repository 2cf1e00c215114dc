/**
 * Payment-card-like numbers, to keep them out of logs, tickets and model inputs (PCI DSS v4.0
 * req. 3.4.1: display at most the BIN and last four). A candidate is 13–19 digits (ISO/IEC
 * 7812-1 PAN lengths), optionally grouped by single spaces or dashes, that passes the Luhn
 * check (ISO/IEC 7812-1 Annex B). A leading "+" or "(" marks a phone number, and digits glued to
 * letters (order numbers, SKUs) are not cards.
 */
import type { EntitySpan } from './entity.js';

export interface CardNumberEntity extends EntitySpan {
  kind: 'card-number';
  /** Digits only. Never log this; use `last4`. */
  digits: string;
  last4: string;
}

/** Luhn mod-10 check: double every second digit from the right, sum the digits, divisible by 10. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const CANDIDATE = /(?<![\p{L}\d+(-])\d(?:[ -]?\d){12,18}(?![\p{L}\d])/gu;

export function findCardNumbers(text: string): CardNumberEntity[] {
  const out: CardNumberEntity[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    const raw = m[0];
    // One kind of separator per number: "4111-1111 1111-1111" is more likely two numbers.
    if (raw.includes(' ') && raw.includes('-')) continue;
    if (startsAfterPhonePrefix(text, m.index)) continue;
    const digits = raw.replace(/\D/g, '');
    if (digits.length < 13 || digits.length > 19 || !luhnValid(digits)) continue;
    out.push({ kind: 'card-number', start: m.index, end: m.index + raw.length, text: raw, digits, last4: digits.slice(-4) });
  }
  return out;
}

/** True when the digits continue a "+49 30 …" international phone number. */
function startsAfterPhonePrefix(text: string, index: number): boolean {
  let i = index - 1;
  while (i >= 0 && /[\d ()-]/.test(text[i] as string)) i--;
  return i >= 0 && text[i] === '+' && /\d/.test(text.slice(i + 1, index));
}

/** The text with every card-like number's digits except the last four replaced by "*", separators kept. */
export function maskCardNumbers(text: string, mask = '*'): string {
  let out = '';
  let at = 0;
  for (const card of findCardNumbers(text)) {
    let toMask = card.digits.length - 4;
    const masked = card.text.replace(/\d/g, (d) => (toMask-- > 0 ? mask : d));
    out += text.slice(at, card.start) + masked;
    at = card.end;
  }
  return out + text.slice(at);
}
