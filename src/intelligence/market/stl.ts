/**
 * STL: Seasonal-Trend decomposition using Loess, Cleveland, Cleveland, McRae & Terpenning (1990),
 * Journal of Official Statistics 6(1), pp. 3–73. Follows the authors' Fortran (netlib stl):
 * inner loop steps 1–6 of §2.2 (detrend, cycle-subseries loess extended one period each side,
 * low-pass 3-pass moving average + loess, seasonal = C − L, deseasonalise, trend loess) and the
 * outer robustness loop with bisquare weights on |R| / (6 · median|R|) (§2.3, eq. 3).
 * Defaults are R's stl(): seasonal degree 0, trend window nextodd(1.5p / (1 − 1.5/n_s)), low-pass
 * window nextodd(p), 2 inner passes without robustness, 1 inner × 15 outer with it. Every loess
 * is evaluated at every point (no "jump" interpolation): merchant series are short.
 */
export interface StlOptions {
  /** n_s, odd ≥ 7, or 'periodic' for a seasonal pattern that does not change. */
  seasonalWindow: number | 'periodic';
  trendWindow?: number;
  lowPassWindow?: number;
  /** Robust to outliers (e.g. a promotion spike), at 15× the work. */
  robust?: boolean;
  innerIterations?: number;
  outerIterations?: number;
}

export interface StlDecomposition {
  type: 'additive';
  period: number;
  observed: number[];
  trend: number[];
  seasonal: number[];
  remainder: number[];
  /** Final robustness weight per point (1 when not robust); near 0 marks an outlier. */
  robustnessWeights: number[];
}

const nextOdd = (x: number): number => {
  const n = Math.round(x);
  return n % 2 === 0 ? n + 1 : n;
};

/**
 * Local (weighted) regression at position xs from y[nleft..nright] (0-based, positions = index),
 * tricube weights over half-width h, widened when the window is longer than the series. Returns
 * null when every weight is zero. Fortran stlest.
 */
function loessAt(y: ArrayLike<number>, n: number, span: number, degree: 0 | 1, xs: number, nleft: number, nright: number, robustness: ArrayLike<number> | null): number | null {
  const range = n - 1;
  let h = Math.max(xs - nleft, nright - xs);
  if (span > n) h += Math.floor((span - n) / 2);
  const weights = new Float64Array(nright - nleft + 1);
  let total = 0;
  for (let j = nleft; j <= nright; j++) {
    const r = Math.abs(j - xs);
    let w = 0;
    if (r <= 0.999 * h) w = r <= 0.001 * h ? 1 : (1 - (r / h) ** 3) ** 3;
    if (robustness) w *= robustness[j] as number;
    weights[j - nleft] = w;
    total += w;
  }
  if (total <= 0) return null;
  for (let k = 0; k < weights.length; k++) weights[k] = (weights[k] as number) / total;
  if (h > 0 && degree === 1) {
    let centre = 0;
    for (let j = nleft; j <= nright; j++) centre += (weights[j - nleft] as number) * j;
    let spread = 0;
    for (let j = nleft; j <= nright; j++) spread += (weights[j - nleft] as number) * (j - centre) ** 2;
    if (Math.sqrt(spread) > 0.001 * range) {
      const slope = (xs - centre) / spread;
      for (let j = nleft; j <= nright; j++) weights[j - nleft] = (weights[j - nleft] as number) * (slope * (j - centre) + 1);
    }
  }
  let fit = 0;
  for (let j = nleft; j <= nright; j++) fit += (weights[j - nleft] as number) * (y[j] as number);
  return fit;
}

/** Loess smooth of the whole series, window sliding with the point (Fortran stless, jump 1). */
function loessSmooth(y: ArrayLike<number>, span: number, degree: 0 | 1, robustness: ArrayLike<number> | null): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  if (n < 2) {
    if (n === 1) out[0] = y[0] as number;
    return out;
  }
  let nleft = 0;
  let nright = Math.min(span, n) - 1;
  const halfSpan = Math.floor((span + 1) / 2);
  for (let i = 0; i < n; i++) {
    if (span < n && i + 1 > halfSpan && nright !== n - 1) {
      nleft++;
      nright++;
    }
    out[i] = loessAt(y, n, span, degree, i, nleft, nright, robustness) ?? (y[i] as number);
  }
  return out;
}

function movingAverage(x: ArrayLike<number>, length: number): Float64Array {
  const out = new Float64Array(x.length - length + 1);
  let sum = 0;
  for (let i = 0; i < length; i++) sum += x[i] as number;
  out[0] = sum / length;
  for (let i = 1; i < out.length; i++) {
    sum += (x[i + length - 1] as number) - (x[i - 1] as number);
    out[i] = sum / length;
  }
  return out;
}

/** Step 2: each cycle-subseries smoothed and extended one period before and after (length n + 2p). */
function smoothCycleSubseries(detrended: Float64Array, period: number, span: number, degree: 0 | 1, robustness: Float64Array | null): Float64Array {
  const n = detrended.length;
  const out = new Float64Array(n + 2 * period);
  for (let j = 0; j < period; j++) {
    const k = Math.floor((n - 1 - j) / period) + 1;
    const sub = new Float64Array(k);
    const subWeights = robustness ? new Float64Array(k) : null;
    for (let m = 0; m < k; m++) {
      sub[m] = detrended[m * period + j] as number;
      if (subWeights && robustness) subWeights[m] = robustness[m * period + j] as number;
    }
    const smooth = loessSmooth(sub, span, degree, subWeights);
    const before = loessAt(sub, k, span, degree, -1, 0, Math.min(span, k) - 1, subWeights) ?? (smooth[0] as number);
    const after = loessAt(sub, k, span, degree, k, Math.max(0, k - span), k - 1, subWeights) ?? (smooth[k - 1] as number);
    out[j] = before;
    for (let m = 0; m < k; m++) out[(m + 1) * period + j] = smooth[m] as number;
    out[(k + 1) * period + j] = after;
  }
  return out;
}

export function decomposeStl(values: readonly number[], period: number, options: StlOptions): StlDecomposition {
  const n = values.length;
  if (!Number.isInteger(period) || period < 2) throw new RangeError('period must be an integer ≥ 2');
  if (n < 2 * period) throw new RangeError(`need at least two full periods (${2 * period} points), got ${n}`);
  const periodic = options.seasonalWindow === 'periodic';
  const seasonalWindow = periodic ? 10 * n + 1 : nextOdd(Math.max(3, options.seasonalWindow as number));
  const trendWindow = nextOdd(options.trendWindow ?? Math.ceil((1.5 * period) / (1 - 1.5 / seasonalWindow)));
  const lowPassWindow = nextOdd(options.lowPassWindow ?? period);
  const robust = options.robust ?? false;
  const inner = options.innerIterations ?? (robust ? 1 : 2);
  const outer = options.outerIterations ?? (robust ? 15 : 0);
  const y = Float64Array.from(values);
  const trend = new Float64Array(n);
  const seasonal = new Float64Array(n);
  let robustness: Float64Array | null = null;
  for (let pass = 0; pass <= outer; pass++) {
    for (let it = 0; it < inner; it++) {
      const detrended = y.map((v, i) => v - (trend[i] as number));
      const cycle = smoothCycleSubseries(detrended, period, seasonalWindow, 0, robustness);
      const lowPass = loessSmooth(movingAverage(movingAverage(movingAverage(cycle, period), period), 3), lowPassWindow, 1, null);
      for (let i = 0; i < n; i++) seasonal[i] = (cycle[period + i] as number) - (lowPass[i] as number);
      trend.set(loessSmooth(y.map((v, i) => v - (seasonal[i] as number)), trendWindow, 1, robustness));
    }
    if (pass < outer) robustness = bisquareWeights(y.map((v, i) => v - (trend[i] as number) - (seasonal[i] as number)));
  }
  if (periodic) {
    // As R's stl: a periodic pattern is the mean of each cycle position.
    for (let j = 0; j < period; j++) {
      let sum = 0;
      let count = 0;
      for (let i = j; i < n; i += period, count++) sum += seasonal[i] as number;
      for (let i = j; i < n; i += period) seasonal[i] = sum / count;
    }
  }
  const remainder = Array.from(y, (v, i) => v - (trend[i] as number) - (seasonal[i] as number));
  return {
    type: 'additive', period, observed: [...values], trend: [...trend], seasonal: [...seasonal], remainder,
    robustnessWeights: robustness ? [...robustness] : new Array<number>(n).fill(1),
  };
}

/** §2.3: bisquare of |R| / h with h = 6 · median |R| (Fortran stlrwt). */
function bisquareWeights(residuals: Float64Array): Float64Array {
  const absolute = Array.from(residuals, Math.abs).sort((a, b) => a - b);
  const n = absolute.length;
  const h = 3 * ((absolute[Math.floor(n / 2)] as number) + (absolute[Math.floor((n - 1) / 2)] as number));
  return residuals.map((r) => {
    const u = Math.abs(r);
    if (u <= 0.001 * h) return 1;
    if (u > 0.999 * h) return 0;
    return (1 - (u / h) ** 2) ** 2;
  });
}
