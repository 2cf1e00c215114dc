/**
 * Quantile binning of numeric features for histogram split finding, as in LightGBM (Ke et al.
 * 2017, NeurIPS, §2 "histogram-based algorithm") and XGBoost's approximate split finding (Chen
 * & Guestrin 2016, KDD, §3.2). With no more distinct values than bins, every boundary between
 * two distinct values is a candidate, so the split search is exact.
 *
 * A value goes to bin b = the number of thresholds strictly below it, so "bin ≤ b" is the same
 * as "value ≤ thresholds[b]": a fitted tree stores raw thresholds and never needs the bins.
 */
export interface FeatureBins {
  /** Per feature, ascending split thresholds; feature j has thresholds[j].length + 1 bins. */
  thresholds: number[][];
}

export function fitBins(rows: readonly (readonly number[])[], maxBins = 64): FeatureBins {
  if (rows.length === 0) throw new RangeError('fitBins: no rows');
  const dims = rows[0]!.length;
  const thresholds: number[][] = [];
  for (let j = 0; j < dims; j++) {
    const sorted = rows.map((r) => r[j]!).sort((a, b) => a - b);
    const distinct = sorted.filter((v, i) => i === 0 || v !== sorted[i - 1]);
    if (distinct.some((v) => !Number.isFinite(v))) throw new RangeError(`fitBins: feature ${j} has a non-finite value`);
    let cuts: number[];
    if (distinct.length <= maxBins) {
      // Midpoints keep a threshold robust to a new value falling between two seen ones.
      cuts = distinct.slice(1).map((v, i) => (distinct[i]! + v) / 2);
    } else {
      cuts = [];
      for (let q = 1; q < maxBins; q++) {
        const v = sorted[Math.floor((q * sorted.length) / maxBins)]!;
        if (cuts.length === 0 || v > cuts[cuts.length - 1]!) cuts.push(v);
      }
      // A cut equal to the maximum would leave an empty top bin.
      if (cuts.length > 0 && cuts[cuts.length - 1]! >= sorted[sorted.length - 1]!) cuts.pop();
    }
    thresholds.push(cuts);
  }
  return { thresholds };
}

export function binOf(thresholds: readonly number[], value: number): number {
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (thresholds[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Column-major bin indices: binned[j][i] is row i's bin for feature j. */
export function binRows(bins: FeatureBins, rows: readonly (readonly number[])[]): Uint16Array[] {
  return bins.thresholds.map((t, j) => {
    const column = new Uint16Array(rows.length);
    for (let i = 0; i < rows.length; i++) column[i] = binOf(t, rows[i]![j]!);
    return column;
  });
}
