/**
 * Automatic method choice per series: a pool of candidate methods at each seasonal period is
 * backtested from rolling origins (backtest.ts) and the forecast is the equal-weight mean of the
 * best `combine` candidates. Selecting among a diverse pool and averaging the few best is the
 * "select and combine" practice that did well in M4 (Makridakis et al. 2020, IJF 36(1), §4.2;
 * Kolassa 2011, IJF 27(2), on combining AIC-weighted and top-k forecasts); averaging two
 * forecasts also guards against an unlucky single backtest window.
 *
 * The pool: non-seasonal SES/damped/Theta; for each period p > 1, seasonal naive, and SES,
 * damped, Holt and Theta on the M4-seasonally-adjusted series at p; and, for the primary
 * period m ≤ 24, damped Holt–Winters (ETS(A,Ad,A)). Long periods (e.g. 168 h = one week of hours,
 * 52 weeks = one year) capture patterns that the primary period m alone misses.
 */
import type { SingleMethod } from './methods.js';
import { seasonalityTest } from './seasonality-test.js';

export interface CandidateSpec {
  method: SingleMethod;
  seasonPeriod: number;
}

export function candidateKey(c: CandidateSpec): string {
  return `${c.method}@${c.seasonPeriod}`;
}

/**
 * Seasonally adjusted candidates at p are only added when M4's ACF test finds season p (otherwise
 * the adjustment is the identity and they would duplicate the non-seasonal ones).
 */
export function candidatePool(series: ArrayLike<number>, seasonPeriod: number, extraPeriods: readonly number[] = []): CandidateSpec[] {
  const n = series.length;
  const periods = [...new Set([seasonPeriod, ...extraPeriods].map((p) => Math.round(p)))].filter((p) => p > 1 && n >= 3 * p);
  const pool: CandidateSpec[] = [
    { method: 'ses', seasonPeriod: 1 },
    { method: 'damped', seasonPeriod: 1 },
    { method: 'theta', seasonPeriod: 1 },
  ];
  for (const p of periods) {
    pool.push({ method: 'snaive', seasonPeriod: p });
    if (!seasonalityTest(series, p).seasonal) continue;
    for (const method of ['ses', 'damped', 'holt', 'theta'] as const) pool.push({ method, seasonPeriod: p });
  }
  if (periods.includes(seasonPeriod) && seasonPeriod <= 24) pool.push({ method: 'holt-winters-damped', seasonPeriod });
  return pool;
}
