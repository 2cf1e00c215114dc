/**
 * Forecast accuracy measures as the M4 competition computed them (Makridakis et al. 2020, IJF
 * 36(1), §2.3 eqs. 1–3; `smape_cal`/`mase_cal` in M4's `Benchmarks and Evaluation.R`), plus RMSE,
 * MAE, MAPE and R² for merchants' reports.
 *  - sMAPE = mean 200·|y − f| / (|y| + |f|)
 *  - MASE  = mean |y − f| / mean_{t>m} |y_t − y_{t−m}| over the training data (Hyndman & Koehler 2006)
 *  - OWA   = ½·(sMAPE / sMAPE_Naive2 + MASE / MASE_Naive2), on means over all series
 */

function checkLengths(actual: ArrayLike<number>, forecast: ArrayLike<number>): void {
  if (actual.length !== forecast.length || actual.length === 0) throw new RangeError('actual and forecast must be non-empty and equally long');
}

export function rmse(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  checkLengths(actual, forecast);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += ((actual[i] as number) - (forecast[i] as number)) ** 2;
  return Math.sqrt(s / actual.length);
}

export function mae(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  checkLengths(actual, forecast);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs((actual[i] as number) - (forecast[i] as number));
  return s / actual.length;
}

/** Percent; undefined (NaN) terms where the actual is zero are skipped. */
export function mape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  checkLengths(actual, forecast);
  let s = 0;
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i] as number;
    if (y === 0) continue;
    s += Math.abs((y - (forecast[i] as number)) / y);
    count++;
  }
  return count === 0 ? Number.NaN : (100 * s) / count;
}

/** Percent, 0..200; a term with actual = forecast = 0 counts as 0. */
export function smape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  checkLengths(actual, forecast);
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i] as number;
    const f = forecast[i] as number;
    const denominator = Math.abs(y) + Math.abs(f);
    s += denominator === 0 ? 0 : (200 * Math.abs(y - f)) / denominator;
  }
  return s / actual.length;
}

/** Mean absolute in-sample seasonal-naive error at lag m: the MASE denominator. */
export function maseScale(insample: ArrayLike<number>, seasonPeriod: number): number {
  const m = Math.max(1, seasonPeriod);
  let s = 0;
  for (let t = m; t < insample.length; t++) s += Math.abs((insample[t] as number) - (insample[t - m] as number));
  return s / (insample.length - m);
}

export function mase(insample: ArrayLike<number>, actual: ArrayLike<number>, forecast: ArrayLike<number>, seasonPeriod: number): number {
  return mae(actual, forecast) / maseScale(insample, seasonPeriod);
}

/** Coefficient of determination 1 − SSE/SST about the mean of the actuals. */
export function rSquared(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  checkLengths(actual, forecast);
  let mean = 0;
  for (let i = 0; i < actual.length; i++) mean += (actual[i] as number) / actual.length;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < actual.length; i++) {
    sse += ((actual[i] as number) - (forecast[i] as number)) ** 2;
    sst += ((actual[i] as number) - mean) ** 2;
  }
  return sst === 0 ? Number.NaN : 1 - sse / sst;
}

export interface AccuracySummary {
  smape: number;
  mase: number;
}

/** Overall Weighted Average relative to Naive2, both given as means over the same series. */
export function owa(method: AccuracySummary, naive2: AccuracySummary): number {
  return 0.5 * (method.smape / naive2.smape + method.mase / naive2.mase);
}
