/**
 * Strength of trend and of seasonality, Wang, Smith & Hyndman (2006), Data Mining and Knowledge
 * Discovery 13(3), in the form of Hyndman & Athanasopoulos, FPP3 §4.3:
 *   F_T = max(0, 1 − Var(R) / Var(T + R)),   F_S = max(0, 1 − Var(R) / Var(S + R)).
 * Near 1: the component dominates the noise; near 0: the series is mostly noise around it.
 * A multiplicative decomposition is measured on the log scale, where it is additive.
 * Only points with a defined trend count (classical decomposition leaves the ends undefined).
 * FPP3 computes the measures on an STL decomposition (stl.ts); classical works the same way.
 */
import type { DecompositionType } from './classical-decomposition.js';

/** Classical (classical-decomposition.ts) and STL (stl.ts) results both fit this shape. */
export interface DecomposedSeries {
  type: DecompositionType;
  trend: readonly number[];
  seasonal: readonly number[];
  remainder: readonly number[];
}

export interface DecompositionStrength {
  trendStrength: number;
  seasonalStrength: number;
  /** Least-squares slope of the trend per time step (in the series' units; log units if multiplicative). */
  trendSlope: number;
  /** Points the measures were computed on. */
  pointCount: number;
}

function variance(xs: readonly number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
}

const strength = (remainderVariance: number, componentPlusRemainderVariance: number): number =>
  componentPlusRemainderVariance > 0 ? Math.max(0, 1 - remainderVariance / componentPlusRemainderVariance) : 0;

export function decompositionStrength(decomposition: DecomposedSeries): DecompositionStrength {
  const onScale = decomposition.type === 'multiplicative' ? Math.log : (x: number) => x;
  const time: number[] = [];
  const trend: number[] = [];
  const seasonal: number[] = [];
  const remainder: number[] = [];
  decomposition.trend.forEach((level, t) => {
    if (Number.isNaN(level)) return;
    time.push(t);
    trend.push(onScale(level));
    seasonal.push(onScale(decomposition.seasonal[t] as number));
    remainder.push(onScale(decomposition.remainder[t] as number));
  });
  const varR = variance(remainder);
  const meanTime = time.reduce((a, b) => a + b, 0) / time.length;
  const meanTrend = trend.reduce((a, b) => a + b, 0) / trend.length;
  let sxy = 0;
  let sxx = 0;
  time.forEach((t, i) => {
    sxy += (t - meanTime) * ((trend[i] as number) - meanTrend);
    sxx += (t - meanTime) ** 2;
  });
  return {
    trendStrength: strength(varR, variance(trend.map((x, i) => x + (remainder[i] as number)))),
    seasonalStrength: strength(varR, variance(seasonal.map((x, i) => x + (remainder[i] as number)))),
    trendSlope: sxx > 0 ? sxy / sxx : 0,
    pointCount: time.length,
  };
}
