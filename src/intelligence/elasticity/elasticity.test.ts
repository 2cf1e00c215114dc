import { describe, expect, test } from 'vitest';
import { studentTCdf, studentTQuantile, studentTTwoSidedP } from './student-t.js';
import { fitOls } from './ols.js';
import { estimatePooledElasticity, estimatePriceElasticity, type PriceObservation } from './price-elasticity.js';

describe('Student t', () => {
  test('Cauchy (ν = 1) and table values', () => {
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 12);
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 12);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228139, 5);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959966, 4);
    expect(studentTTwoSidedP(2.228139, 10)).toBeCloseTo(0.05, 6);
  });
});

describe('OLS', () => {
  test('hand-computed slope, R² and standard error', () => {
    // x̄ 2.5, ȳ 4.75, Sxy 9.5, Sxx 5 → b 1.9, a 0; SSR 0.70, s² 0.35, se(b) = √(0.35/5)
    const fit = fitOls([[1, 1], [1, 2], [1, 3], [1, 4]], [2, 4, 5, 8], { hasIntercept: true });
    expect(fit.coefficients[0]).toBeCloseTo(0, 12);
    expect(fit.coefficients[1]).toBeCloseTo(1.9, 12);
    expect(fit.residualVariance).toBeCloseTo(0.35, 12);
    expect(fit.standardErrors[1]).toBeCloseTo(Math.sqrt(0.07), 12);
    expect(fit.rSquared).toBeCloseTo(1 - 0.7 / 18.75, 12);
    expect(() => fitOls([[1, 1], [1, 1], [1, 1]], [1, 2, 3])).toThrow(RangeError);
  });
});

const demand = (level: number, elasticity: number, prices: number[], noise: number[] = []): PriceObservation[] =>
  prices.map((price, i) => ({ price, quantity: level * Math.pow(price, elasticity) * Math.exp(noise[i % Math.max(1, noise.length)] ?? 0) }));

describe('price elasticity', () => {
  test('recovers ε from exact constant-elasticity demand and explains it', () => {
    const e = estimatePriceElasticity(demand(100, -2, [1, 2, 3, 4, 5, 6, 7, 8], [0.01, -0.01]));
    expect(e.status).toBe('estimated');
    expect(e.elasticity!).toBeCloseTo(-2, 1);
    expect(e.confidenceInterval![0]).toBeLessThan(-2);
    expect(e.confidenceInterval![1]).toBeGreaterThan(-2);
    expect(e.significant).toBe(true);
    // 1.1^−2 − 1 = −17.4 %
    expect(e.explanation).toContain('a 10% price rise goes with a 17% fall');
  });
  test('noise wide enough makes it not significant', () => {
    const e = estimatePriceElasticity(demand(100, -0.1, [1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7], [0.9, -0.8, 0.7, -0.9, 0.6, -0.7, 0.8, -0.6]));
    expect(e.status).toBe('estimated');
    expect(e.significant).toBe(false);
    expect(e.explanation).toContain('not significant');
  });
  test('the minimum-data guard refuses and says why', () => {
    expect(estimatePriceElasticity(demand(100, -2, [1, 2, 3])).explanation).toMatch(/3 usable observations/);
    const onePrice = estimatePriceElasticity(demand(100, -2, [2, 2, 2, 2, 2, 2, 2, 2, 2]));
    expect(onePrice.status).toBe('insufficient-data');
    expect(onePrice.elasticity).toBeNull();
    expect(onePrice.explanation).toContain('1 distinct price');
  });
  test('pooling with product fixed effects is not fooled by levels; naive pooling is', () => {
    const cheap = demand(100, -1.5, [1, 1.5, 2, 2.5], [0.02, -0.02]);
    const dear = demand(5000, -1.5, [5, 6, 7, 8], [-0.02, 0.02]);
    const pooled = estimatePooledElasticity([cheap, dear]);
    expect(pooled.products).toBe(2);
    expect(pooled.elasticity!).toBeCloseTo(-1.5, 1);
    expect(estimatePriceElasticity([...cheap, ...dear]).elasticity!).toBeGreaterThan(0);
  });
});

test('a catalogue gets one estimate per product and one pooled per category', async () => {
  const { estimateCatalogElasticities } = await import('./catalog-elasticities.js');
  const result = estimateCatalogElasticities([
    { productId: 'mug', category: 'kitchen', observations: demand(50, -1, [2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5], [0.03, -0.03]) },
    { productId: 'jug', category: 'kitchen', observations: demand(80, -1, [6, 7, 8, 9, 10, 11, 12, 13], [-0.03, 0.03]) },
    { productId: 'card', category: 'paper', observations: demand(10, -1, [1, 1]) },
  ]);
  expect(result.byProduct.mug!.elasticity!).toBeCloseTo(-1, 1);
  expect(result.byProduct.card!.status).toBe('insufficient-data');
  expect(result.byCategory.kitchen!.products).toBe(2);
  expect(result.byCategory.kitchen!.elasticity!).toBeCloseTo(-1, 1);
  expect(result.byCategory.paper!.status).toBe('insufficient-data');
});
