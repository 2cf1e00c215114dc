/**
 * Minor-unit exponents of ISO 4217 (List One, the currency's "minor unit" column) and the
 * rounding used whenever a computed amount is brought back to whole minor units.
 */
export interface Money {
  /** Integer minor units (cents, yen, fils). */
  amount: number;
  /** ISO 4217 alphabetic code. */
  currency: string;
}

/** Currencies whose minor unit is not 2 digits; everything else has 2. */
const NON_DEFAULT_MINOR_DIGITS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0,
  UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

export function minorDigits(currency: string, overrides: Readonly<Record<string, number>> = {}): number {
  const code = currency.toUpperCase();
  return overrides[code] ?? NON_DEFAULT_MINOR_DIGITS[code] ?? 2;
}

/**
 * 'half-even' (default): ties to the even neighbour, so rounding errors over many conversions
 * do not drift one way (IEEE 754 roundTiesToEven; the usual choice for FX and accounting).
 * 'half-up': ties away from zero, what a customer expects from "commercial" rounding.
 * 'toward-zero' never gives more than the exact amount; 'floor' / 'ceil' as named.
 */
export type Rounding = 'half-even' | 'half-up' | 'toward-zero' | 'floor' | 'ceil';

/**
 * Round a computed (float) amount to an integer. A value within a few ulps of .5 is treated as
 * an exact tie: 1.005 × 100 is 100.49999999999999 in binary but 100.5 in the decimal the
 * merchant wrote, and the decimal is what the rounding rule is about.
 */
export function roundToInteger(value: number, rounding: Rounding = 'half-even'): number {
  if (!Number.isFinite(value)) throw new RangeError(`cannot round ${value} to minor units`);
  const tolerance = 8 * Number.EPSILON * Math.max(1, Math.abs(value));
  const nearest = Math.round(value);
  if (Math.abs(value - nearest) <= tolerance) return nearest === 0 ? 0 : nearest;
  const below = Math.floor(value);
  const isTie = Math.abs(value - below - 0.5) <= tolerance;
  let result: number;
  switch (rounding) {
    case 'floor': result = below; break;
    case 'ceil': result = below + 1; break;
    case 'toward-zero': result = value < 0 ? below + 1 : below; break;
    case 'half-up': result = isTie ? (value < 0 ? below : below + 1) : Math.round(value); break;
    case 'half-even': result = isTie ? (below % 2 === 0 ? below : below + 1) : Math.round(value); break;
  }
  return result === 0 ? 0 : result;
}
