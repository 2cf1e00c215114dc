/**
 * Regional price comparison: the same product's price in each region, brought to one currency
 * at the rates in force on one date, with the spread a merchant looks at — cheapest, dearest,
 * median and how far each region sits from the median.
 */
import { convertMoney, type ConversionOptions, type IndexedRates } from './currency-conversion.js';
import { roundToInteger, type Money } from './minor-units.js';

export interface RegionalPrice {
  region: string;
  price: Money;
}

export interface NormalisedRegionalPrice {
  region: string;
  original: Money;
  normalised: Money;
  /** (normalised − median) / median; +0.10 means 10 % above the median region. */
  relativeToMedian: number;
}

export interface RegionalPriceComparison {
  currency: string;
  date: string;
  /** Sorted cheapest first. */
  prices: NormalisedRegionalPrice[];
  cheapest: NormalisedRegionalPrice;
  dearest: NormalisedRegionalPrice;
  /** Median of the normalised prices (mean of the middle two for an even count, rounded as configured). */
  median: Money;
  /** dearest − cheapest. */
  spread: Money;
  /** (dearest − cheapest) / median. */
  relativeSpread: number;
  /** dearest / cheapest. */
  maxToMinRatio: number;
}

export function compareRegionalPrices(
  prices: readonly RegionalPrice[],
  currency: string,
  date: string,
  rates: IndexedRates,
  options: ConversionOptions = {},
): RegionalPriceComparison {
  if (prices.length === 0) throw new RangeError('compareRegionalPrices needs at least one price');
  const target = currency.toUpperCase();
  const converted = prices
    .map((p) => ({ region: p.region, original: p.price, normalised: convertMoney(p.price, target, date, rates, options) }))
    .sort((a, b) => a.normalised.amount - b.normalised.amount || a.region.localeCompare(b.region));
  const amounts = converted.map((p) => p.normalised.amount);
  const n = amounts.length;
  const exactMedian = n % 2 === 1 ? (amounts[(n - 1) / 2] as number) : ((amounts[n / 2 - 1] as number) + (amounts[n / 2] as number)) / 2;
  const relative = (x: number): number => (exactMedian !== 0 ? (x - exactMedian) / exactMedian : 0);
  const withRelative = converted.map((p) => ({ ...p, relativeToMedian: relative(p.normalised.amount) }));
  const cheapest = withRelative[0] as NormalisedRegionalPrice;
  const dearest = withRelative[n - 1] as NormalisedRegionalPrice;
  const spread = dearest.normalised.amount - cheapest.normalised.amount;
  return {
    currency: target,
    date,
    prices: withRelative,
    cheapest,
    dearest,
    median: { amount: roundToInteger(exactMedian, options.rounding), currency: target },
    spread: { amount: spread, currency: target },
    relativeSpread: exactMedian !== 0 ? spread / exactMedian : 0,
    maxToMinRatio: cheapest.normalised.amount !== 0 ? dearest.normalised.amount / cheapest.normalised.amount : Number.POSITIVE_INFINITY,
  };
}
