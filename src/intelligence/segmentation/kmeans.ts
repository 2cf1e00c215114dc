/**
 * k-means by Lloyd's iterations (Lloyd 1982, IEEE Trans. Inf. Theory 28(2)), seeded by
 * k-means++ (Arthur & Vassilvitskii 2007, SODA, "k-means++: the advantages of careful
 * seeding", §2.2: each next centre drawn with probability D(x)² / Σ D²), which is
 * O(log k)-competitive in expectation (their Theorem 3.1). Several seeded restarts keep the
 * lowest within-cluster sum of squares, since Lloyd only finds a local optimum.
 */
import { seededRandom, type Random } from '../random.js';

export interface KMeansOptions {
  seed?: number;
  /** Independent k-means++ starts; the best inertia wins. */
  restarts?: number;
  maxIterations?: number;
  /** Stop when no centre moves further than this (squared Euclidean). */
  tolerance?: number;
}

export interface KMeansModel {
  k: number;
  centroids: number[][];
  /** Within-cluster sum of squared distances to the assigned centroid. */
  inertia: number;
  iterations: number;
}

export interface KMeansResult extends KMeansModel {
  assignments: number[];
}

export function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) {
    const d = a[j]! - b[j]!;
    sum += d * d;
  }
  return sum;
}

export function nearestCentroid(centroids: readonly (readonly number[])[], point: readonly number[]): { index: number; distance: number } {
  let index = 0;
  let distance = Number.POSITIVE_INFINITY;
  for (let c = 0; c < centroids.length; c++) {
    const d = squaredDistance(point, centroids[c]!);
    if (d < distance) {
      distance = d;
      index = c;
    }
  }
  return { index, distance };
}

function kMeansPlusPlus(points: readonly (readonly number[])[], k: number, random: Random): number[][] {
  const centroids: number[][] = [points[random.int(points.length)]!.slice()];
  const dist = points.map((p) => squaredDistance(p, centroids[0]!));
  while (centroids.length < k) {
    const total = dist.reduce((s, d) => s + d, 0);
    let chosen = 0;
    if (total > 0) {
      let target = random.next() * total;
      for (chosen = 0; chosen < points.length - 1; chosen++) {
        target -= dist[chosen]!;
        if (target < 0) break;
      }
    } else {
      chosen = random.int(points.length); // every point sits on a centre: duplicates are unavoidable
    }
    const centre = points[chosen]!.slice();
    centroids.push(centre);
    for (let i = 0; i < points.length; i++) dist[i] = Math.min(dist[i]!, squaredDistance(points[i]!, centre));
  }
  return centroids;
}

function lloyd(points: readonly (readonly number[])[], start: number[][], maxIterations: number, tolerance: number, random: Random): KMeansResult {
  const k = start.length;
  const dims = points[0]!.length;
  let centroids = start;
  const assignments = new Array<number>(points.length).fill(0);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    for (let i = 0; i < points.length; i++) assignments[i] = nearestCentroid(centroids, points[i]!).index;
    const sums = Array.from({ length: k }, () => new Array<number>(dims).fill(0));
    const counts = new Array<number>(k).fill(0);
    for (let i = 0; i < points.length; i++) {
      const c = assignments[i]!;
      counts[c]!++;
      for (let j = 0; j < dims; j++) sums[c]![j]! += points[i]![j]!;
    }
    // An emptied cluster restarts on a random point instead of dying, so k stays k.
    const next = sums.map((s, c) => (counts[c]! > 0 ? s.map((v) => v / counts[c]!) : points[random.int(points.length)]!.slice()));
    const shift = Math.max(...next.map((c, i) => squaredDistance(c, centroids[i]!)));
    centroids = next;
    if (shift <= tolerance) {
      iterations++;
      break;
    }
  }
  let inertia = 0;
  for (let i = 0; i < points.length; i++) {
    const nearest = nearestCentroid(centroids, points[i]!);
    assignments[i] = nearest.index;
    inertia += nearest.distance;
  }
  return { k, centroids, assignments, inertia, iterations };
}

export function fitKMeans(points: readonly (readonly number[])[], k: number, options: KMeansOptions = {}): KMeansResult {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`fitKMeans: k must be a positive integer, got ${k}`);
  if (points.length < k) throw new RangeError(`fitKMeans: ${points.length} points cannot make ${k} clusters`);
  const random = seededRandom(options.seed ?? 1);
  const restarts = options.restarts ?? 4;
  let best: KMeansResult | undefined;
  for (let r = 0; r < restarts; r++) {
    const result = lloyd(points, kMeansPlusPlus(points, k, random), options.maxIterations ?? 300, options.tolerance ?? 1e-10, random);
    if (best === undefined || result.inertia < best.inertia) best = result;
  }
  return best!;
}

/** Cluster index of a new point under a fitted model. */
export function assignCluster(model: KMeansModel, point: readonly number[]): number {
  return nearestCentroid(model.centroids, point).index;
}
