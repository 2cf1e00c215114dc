import { describe, expect, test } from 'vitest';
import { assignCluster, fitKMeans } from './kmeans.js';
import { silhouetteScore } from './silhouette.js';

describe('k-means++ with Lloyd iterations', () => {
  test('two obvious pairs: centroids at their means, inertia by hand', () => {
    const points = [[0, 0], [0, 1], [10, 10], [10, 11]];
    const fit = fitKMeans(points, 2, { seed: 7 });
    const centroids = fit.centroids.slice().sort((a, b) => a[0]! - b[0]!);
    expect(centroids).toEqual([[0, 0.5], [10, 10.5]]);
    expect(fit.inertia).toBeCloseTo(1, 12); // four points, each 0.5 from its centre
    expect(fit.assignments[0]).toBe(fit.assignments[1]);
    expect(fit.assignments[0]).not.toBe(fit.assignments[2]);
    expect(assignCluster(fit, [9, 9])).toBe(fit.assignments[2]);
  });
  test('same seed, same result; bad k is refused', () => {
    const points = Array.from({ length: 30 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
    expect(fitKMeans(points, 3, { seed: 3 })).toEqual(fitKMeans(points, 3, { seed: 3 }));
    expect(() => fitKMeans(points, 0)).toThrow(RangeError);
    expect(() => fitKMeans([[1]], 2)).toThrow(RangeError);
  });
});

describe('silhouette', () => {
  test('hand-computed 1-D case', () => {
    // point 0: a = 1, b = (4+5)/2 = 4.5 → 3.5/4.5; point 1: a = 1, b = 3.5 → 2.5/3.5; symmetric on the right
    const expected = (3.5 / 4.5 + 2.5 / 3.5) / 2;
    const s = silhouetteScore([[0], [1], [4], [5]], [0, 0, 1, 1]);
    expect(s.mean).toBeCloseTo(expected, 12);
    expect(s.exact).toBe(true);
  });
  test('singletons count as 0 and a sample is flagged as such', () => {
    expect(silhouetteScore([[0], [1], [10]], [0, 0, 1]).mean).toBeCloseTo(((10 - 1) / 10 + (9 - 1) / 9) / 3, 12);
    const points = Array.from({ length: 40 }, (_, i) => [i < 20 ? i : 100 + i]);
    const labels = points.map((_, i) => (i < 20 ? 0 : 1));
    const sampled = silhouetteScore(points, labels, { maxExact: 10, sampleSize: 20, seed: 1 });
    expect(sampled.exact).toBe(false);
    expect(sampled.pointsUsed).toBe(20);
    expect(sampled.mean).toBeGreaterThan(0.8);
  });
});
