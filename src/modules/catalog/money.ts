import { problem } from '../../platform/http/problem.js';
import { minorDigits } from '../../intelligence/market/minor-units.js';

/**
 * Currencies the catalog prices in, with their minor-unit exponent (ISO 4217, from the
 * intelligence core's table). A shop can only price in a currency listed here, so a typo like
 * "EUD" is refused, not stored.
 */
const PRICED_CURRENCIES = [
  'USD', 'EUR', 'GBP', 'CAD', 'AUD', 'NZD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK',
  'JPY', 'KRW', 'CNY', 'INR', 'BRL', 'MXN', 'ZAR', 'SGD', 'HKD', 'AED', 'TRY', 'ILS',
] as const;
export const CURRENCIES: Readonly<Record<string, number>> = Object.fromEntries(PRICED_CURRENCIES.map((c) => [c, minorDigits(c)]));

export function assertCurrency(code: string, field = 'currency'): string {
  if (!(code in CURRENCIES)) throw problem(422, 'unknown-currency', `Unknown currency ${JSON.stringify(code)} in ${field}; known: ${Object.keys(CURRENCIES).join(', ')}`, { field, currency: code });
  return code;
}

export function assertMinorUnits(amount: number, field: string): number {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw problem(422, 'invalid-price', `${field} must be a whole number of minor units ≥ 0 (e.g. 1999 for 19.99), got ${amount}`, { field, amount });
  }
  return amount;
}

/** Minor units to a decimal string, for CSV columns that hold major units ("19.99"). */
export function formatMajor(amount: number, currency: string): string {
  const exp = CURRENCIES[currency] ?? 2;
  if (exp === 0) return String(amount);
  const s = String(amount).padStart(exp + 1, '0');
  return `${s.slice(0, -exp)}.${s.slice(-exp)}`;
}

/** "19.99" → 1999, exactly (no float arithmetic); null when the text is not a plain non-negative decimal. */
export function parseMajor(text: string, currency: string): number | null {
  const exp = CURRENCIES[currency] ?? 2;
  const m = /^(\d{1,13})(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  const fraction = m[2] ?? '';
  if (fraction.length > exp) return null;
  return Number(m[1]) * 10 ** exp + Number(fraction.padEnd(exp, '0') || '0');
}
