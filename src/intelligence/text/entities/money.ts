/**
 * Amounts of money in customer messages, as integer minor units (`{ amount: 123456, currency:
 * 'EUR' }` for "1.234,56 €"), per the shop's money rule. Currency may be a symbol ($ € £ ¥), an
 * ISO 4217 code, or a word (dollars, euros, pounds, cents, pence), before or after the number.
 *
 * Decimal mark: with both "." and "," the later one is the decimal mark ("1.234,56",
 * "1,234.56"); a lone mark followed by exactly three digits groups thousands ("1.234", "1,234"),
 * by one or two digits (or after a lone "0") is decimal ("12,5", "12.50", "0.125"). Spaces, no-break spaces and apostrophes
 * always group ("1 234,56", "1'234.56").
 */
import type { EntitySpan } from './entity.js';

export interface Money {
  /** Minor units (cents), integer. */
  amount: number;
  /** ISO 4217 code. */
  currency: string;
}

export interface MoneyEntity extends EntitySpan {
  kind: 'money';
  value: Money;
}

export interface MoneyOptions {
  /** What a bare "$", "dollars" or "cents" means. Default 'USD'. */
  dollarCurrency?: string;
}

const ISO_CODES = ['USD', 'EUR', 'GBP', 'CHF', 'JPY', 'CAD', 'AUD', 'NZD', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'MXN', 'BRL'];
/** ISO 4217 minor-unit exponents that are not 2. */
const MINOR_DIGITS: Record<string, number> = { JPY: 0 };

const NUMBER = /(?<![\p{L}\d.,])(?:\d{1,3}(?:[.,'\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,3})?)(?![\d\p{L}])/gu;
const BEFORE = new RegExp(`(?:([$€£¥])|(?<![\\p{L}])(${ISO_CODES.join('|')}))\\s?$`, 'iu');
const AFTER = new RegExp(`^\\s?(?:([$€£¥])|(${ISO_CODES.join('|')})(?![\\p{L}])|(dollars?|bucks|euros?|eur|pounds?|quid|cents?|pence)(?![\\p{L}]))`, 'iu');

function currencyOfSymbol(symbol: string, dollar: string): string {
  return symbol === '€' ? 'EUR' : symbol === '£' ? 'GBP' : symbol === '¥' ? 'JPY' : dollar;
}

function currencyOfWord(word: string, dollar: string): string {
  const w = word.toLowerCase();
  if (w.startsWith('euro') || w === 'eur') return 'EUR';
  if (w.startsWith('pound') || w === 'quid' || w === 'pence') return 'GBP';
  return dollar;
}

/** Splits a written number into integer digits and decimal digits, by the rules above. */
export function parseWrittenNumber(written: string): { integer: string; fraction: string } {
  const s = written.replace(/['\u00a0\u202f ]/g, '');
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  let decimalAt = -1;
  if (lastDot >= 0 && lastComma >= 0) decimalAt = Math.max(lastDot, lastComma);
  else {
    const mark = lastDot >= 0 ? '.' : lastComma >= 0 ? ',' : '';
    const at = Math.max(lastDot, lastComma);
    const single = mark !== '' && s.indexOf(mark) === at;
    // "0.125" cannot be grouping: nobody writes a leading zero group.
    if (single && (s.length - at - 1 !== 3 || s.slice(0, at) === '0')) decimalAt = at;
  }
  if (decimalAt < 0) return { integer: s.replace(/[.,]/g, ''), fraction: '' };
  return { integer: s.slice(0, decimalAt).replace(/[.,]/g, ''), fraction: s.slice(decimalAt + 1) };
}

/** Minor units of a written amount in a currency, rounding extra decimals half up. */
export function toMinorUnits(written: string, currency: string): number {
  const digits = MINOR_DIGITS[currency] ?? 2;
  const { integer, fraction } = parseWrittenNumber(written);
  const padded = (fraction + '0'.repeat(digits + 1)).slice(0, digits + 1);
  const scaled = Number(integer || '0') * 10 ** digits + Number(padded.slice(0, digits) || '0');
  return scaled + (Number(padded[digits]) >= 5 ? 1 : 0);
}

export function findMoney(text: string, options: MoneyOptions = {}): MoneyEntity[] {
  const dollar = options.dollarCurrency ?? 'USD';
  const out: MoneyEntity[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const written = m[0];
    const numberEnd = m.index + written.length;
    const before = BEFORE.exec(text.slice(Math.max(0, m.index - 4), m.index));
    const after = AFTER.exec(text.slice(numberEnd, numberEnd + 10));
    let currency: string;
    let start = m.index;
    let end = numberEnd;
    let minorWord = false;
    if (before) {
      currency = before[1] ? currencyOfSymbol(before[1], dollar) : (before[2] as string).toUpperCase();
      start -= before[0].length;
    } else if (after) {
      const word = after[3];
      currency = after[1] ? currencyOfSymbol(after[1], dollar) : after[2] ? after[2].toUpperCase() : currencyOfWord(word as string, dollar);
      minorWord = word !== undefined && /^(cents?|pence)$/i.test(word);
      end += after[0].length;
    } else continue;
    const { integer, fraction } = parseWrittenNumber(written);
    const amount = minorWord ? (fraction === '' ? Number(integer) : NaN) : toMinorUnits(written, currency);
    if (!Number.isSafeInteger(amount)) continue;
    out.push({ kind: 'money', start, end, text: text.slice(start, end), value: { amount, currency } });
  }
  return out;
}
