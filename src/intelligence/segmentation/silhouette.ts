/**
 * Mean silhouette width, Rousseeuw (1987), J. Comput. Appl. Math. 20, eq. (2):
 * s(i) = (b(i) − a(i)) / max(a(i), b(i)), with a(i) the mean distance to the other members
 * of i's cluster and b(i) the smallest mean distance to another cluster; s(i) = 0 for a
 * singleton. Euclidean distance.
 *
 * Exact is O(n²); above `maxExact` points (default 5,000) it is computed on a seeded uniform
 * sample, as scikit-learn's `sample_size` does: both i and its neighbours come from the sample.
 */
import { seededRandom } from '../random.js';

export interface SilhouetteOptions {
  maxExact?: number;
  sampleSize?: number;
  seed?: number;
}

export interface SilhouetteResult {
  mean: number;
  /** Points the mean was computed over. */
  pointsUsed: number;
  exact: boolean;
}

function exactSilhouette(points: readonly (readonly number[])[], labels: readonly number[]): number {
  const n = points.length;
  const k = Math.max(...labels) + 1;
  const sizes = new Array<number>(k).fill(0);
  for (const l of labels) sizes[l]!++;
  let total = 0;
  const sums = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    const p = points[i]!;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const q = points[j]!;
      let d2 = 0;
      for (let t = 0; t < p.length; t++) {
        const d = p[t]! - q[t]!;
        d2 += d * d;
      }
      sums[labels[j]!]! += Math.sqrt(d2);
    }
    const own = labels[i]!;
    if (sizes[own]! <= 1) continue;
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    if (Number.isFinite(b)) total += (b - a) / Math.max(a, b);
  }
  return total / n;
}

export function silhouetteScore(points: readonly (readonly number[])[], labels: readonly number[], options: SilhouetteOptions = {}): SilhouetteResult {
  if (points.length !== labels.length) throw new RangeError('silhouetteScore: one label per point');
  if (new Set(labels).size < 2) return { mean: Number.NaN, pointsUsed: points.length, exact: true };
  const maxExact = options.maxExact ?? 5000;
  if (points.length <= maxExact) return { mean: exactSilhouette(points, labels), pointsUsed: points.length, exact: true };
  const idx = seededRandom(options.seed ?? 1).sample(Array.from({ length: points.length }, (_, i) => i), options.sampleSize ?? maxExact);
  // Relabel densely: a cluster may be absent from the sample.
  const dense = new Map<number, number>();
  const sampleLabels = idx.map((i) => {
    const l = labels[i]!;
    if (!dense.has(l)) dense.set(l, dense.size);
    return dense.get(l)!;
  });
  return { mean: exactSilhouette(idx.map((i) => points[i]!), sampleLabels), pointsUsed: idx.length, exact: false };
}
