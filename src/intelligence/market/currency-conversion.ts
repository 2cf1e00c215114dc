/**
 * Currency conversion from a dated rates table. A rate published for date D is "in force" from
 * D until the next published date for that currency (the ECB reference-rate convention: a
 * weekend or holiday uses the last working day's rate). All rates are quoted against one base
 * currency, so any pair converts through the base (cross rate = toPerBase / fromPerBase).
 * Amounts go in and out as integer minor units; the only rounding is one final rounding to the
 * target currency's minor unit (minor-units.ts).
 */
import { minorDigits, roundToInteger, type Money, type Rounding } from './minor-units.js';

export interface DatedRate {
  /** ISO date, YYYY-MM-DD. */
  date: string;
  currency: string;
  /** Units of `currency` for one unit of the base (e.g. base EUR, USD 1.0823). */
  perBase: number;
}

export interface RatesTable {
  base: string;
  rates: readonly DatedRate[];
}

/** Rates grouped per currency and sorted by date, for binary search; plain JSON data. */
export interface IndexedRates {
  base: string;
  byCurrency: Record<string, { dates: string[]; perBase: number[] }>;
}

export interface ConversionOptions {
  rounding?: Rounding;
  /** Minor-unit exponents that differ from ISO 4217 (e.g. a cash-only currency). */
  minorDigitsOverrides?: Readonly<Record<string, number>>;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function indexRates(table: RatesTable): IndexedRates {
  const byCurrency: IndexedRates['byCurrency'] = {};
  const sorted = [...table.rates].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (const rate of sorted) {
    if (!ISO_DATE.test(rate.date)) throw new RangeError(`rate date ${rate.date} is not YYYY-MM-DD`);
    if (!(rate.perBase > 0)) throw new RangeError(`rate for ${rate.currency} on ${rate.date} must be positive`);
    const code = rate.currency.toUpperCase();
    const series = (byCurrency[code] ??= { dates: [], perBase: [] });
    // A later entry for the same date replaces the earlier one (a corrected fixing).
    if (series.dates[series.dates.length - 1] === rate.date) series.perBase[series.perBase.length - 1] = rate.perBase;
    else {
      series.dates.push(rate.date);
      series.perBase.push(rate.perBase);
    }
  }
  return { base: table.base.toUpperCase(), byCurrency };
}

/** Units of `currency` per unit of the base in force on `date`; throws if none was published yet. */
export function perBaseInForce(rates: IndexedRates, currency: string, date: string): number {
  const code = currency.toUpperCase();
  if (code === rates.base) return 1;
  const series = rates.byCurrency[code];
  if (!series) throw new RangeError(`no rates for ${code}`);
  let lo = 0;
  let hi = series.dates.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((series.dates[mid] as string) <= date) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) throw new RangeError(`no ${code} rate in force on ${date} (first is ${series.dates[0]})`);
  return series.perBase[found] as number;
}

/** Major units of `to` for one major unit of `from`, in force on `date`. */
export function crossRate(rates: IndexedRates, from: string, to: string, date: string): number {
  return perBaseInForce(rates, to, date) / perBaseInForce(rates, from, date);
}

export function convertMoney(money: Money, to: string, date: string, rates: IndexedRates, options: ConversionOptions = {}): Money {
  if (!Number.isInteger(money.amount)) throw new RangeError(`amount ${money.amount} is not integer minor units`);
  const target = to.toUpperCase();
  const fromDigits = minorDigits(money.currency, options.minorDigitsOverrides);
  const toDigits = minorDigits(target, options.minorDigitsOverrides);
  // Multiply before dividing and scale by an exact power of ten, to keep float error to a few ulps.
  const exact = (money.amount * perBaseInForce(rates, target, date) * 10 ** toDigits) /
    (perBaseInForce(rates, money.currency, date) * 10 ** fromDigits);
  return { amount: roundToInteger(exact, options.rounding), currency: target };
}
