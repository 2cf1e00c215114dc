/**
 * Temperature scaling: Guo, Pleiss, Sun & Weinberger (2017), "On Calibration of Modern Neural
 * Networks", ICML, §4.2. One scalar T > 0 divides every logit, fitted by minimising the
 * negative log-likelihood of held-out labels; argmax (and so accuracy) is unchanged while the
 * confidence becomes honest. The NLL is convex in 1/T, so a golden-section search on ln T is
 * enough and needs no gradient.
 */
export function temperatureNll(scores: readonly ArrayLike<number>[], labels: ArrayLike<number>, temperature: number): number {
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    const z = scores[i] as ArrayLike<number>;
    let max = -Infinity;
    for (let k = 0; k < z.length; k++) max = Math.max(max, (z[k] as number) / temperature);
    let sum = 0;
    for (let k = 0; k < z.length; k++) sum += Math.exp((z[k] as number) / temperature - max);
    total -= (z[labels[i] as number] as number) / temperature - max - Math.log(sum);
  }
  return total / Math.max(1, scores.length);
}

/** The temperature in [minT, maxT] that minimises held-out NLL. */
export function fitTemperature(scores: readonly ArrayLike<number>[], labels: ArrayLike<number>, minT = 0.01, maxT = 100): number {
  if (scores.length === 0) return 1;
  const phi = (Math.sqrt(5) - 1) / 2;
  let lo = Math.log(minT);
  let hi = Math.log(maxT);
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = temperatureNll(scores, labels, Math.exp(a));
  let fb = temperatureNll(scores, labels, Math.exp(b));
  for (let iteration = 0; iteration < 60 && hi - lo > 1e-4; iteration++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = temperatureNll(scores, labels, Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = temperatureNll(scores, labels, Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}

/**
 * Expected calibration error with equal-width confidence bins (Guo et al. 2017, eq. 3):
 * Σ_b (|B_b| / n) · |accuracy(B_b) − confidence(B_b)|.
 */
export function expectedCalibrationError(confidences: ArrayLike<number>, correct: ArrayLike<boolean>, bins = 15): number {
  const count = new Float64Array(bins);
  const hits = new Float64Array(bins);
  const confidenceSum = new Float64Array(bins);
  for (let i = 0; i < confidences.length; i++) {
    const c = confidences[i] as number;
    const b = Math.min(bins - 1, Math.floor(c * bins));
    count[b] = (count[b] as number) + 1;
    hits[b] = (hits[b] as number) + (correct[i] ? 1 : 0);
    confidenceSum[b] = (confidenceSum[b] as number) + c;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    ece += Math.abs((hits[b] as number) - (confidenceSum[b] as number)) / confidences.length;
  }
  return ece;
}
