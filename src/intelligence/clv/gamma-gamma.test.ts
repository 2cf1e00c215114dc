import { expect, test } from 'vitest';
import { explainExpectedSpend, fitGammaGamma, spendFrequencyCorrelation, gammaGammaExpectedSpend, gammaGammaLogLikelihood, gammaGammaTotalLogLikelihood } from './gamma-gamma.js';

const params = { p: 1, q: 2, gamma: 3 };

test('likelihood of a mean spend, by hand', () => {
  // x = 1, z̄ = 2: Γ(3)/(Γ(1)Γ(2)) · 3² · 2⁰ · 1¹ / (3 + 2)³ = 18/125.
  expect(gammaGammaLogLikelihood(params, { frequency: 1, monetary: 2 })).toBeCloseTo(Math.log(18 / 125), 12);
  // x = 2, z̄ = 1: Γ(4)/(Γ(2)Γ(2)) · 9 · 1 · 2² / (3 + 2)⁴ = 216/625.
  expect(gammaGammaLogLikelihood(params, { frequency: 2, monetary: 1 })).toBeCloseTo(Math.log(216 / 625), 12);
  expect(gammaGammaLogLikelihood(params, { frequency: 0, monetary: 0 })).toBe(0);
});

test('expected spend shrinks the customer mean towards the population mean, less as x grows', () => {
  // Population mean pγ/(q−1) = 3; with x = 1 half the weight is on z̄ = 2: 2.5.
  expect(explainExpectedSpend(params, { frequency: 1, monetary: 2 })).toEqual({ expected: 2.5, populationMean: 3, observedMean: 2, weightOnObserved: 0.5 });
  expect(gammaGammaExpectedSpend(params, { frequency: 9, monetary: 2 })).toBeCloseTo(0.9 * 2 + 0.1 * 3, 12);
  expect(gammaGammaExpectedSpend(params, { frequency: 0, monetary: 0 })).toBe(3);
  expect(gammaGammaExpectedSpend({ p: 1, q: 0.5, gamma: 1 }, { frequency: 0, monetary: 0 })).toBe(Number.POSITIVE_INFINITY);
});

test('the fit is a local maximum of the likelihood and round-trips through JSON', () => {
  const spends = [
    { frequency: 1, monetary: 12 },
    { frequency: 3, monetary: 20 },
    { frequency: 2, monetary: 8 },
    { frequency: 5, monetary: 35 },
    { frequency: 1, monetary: 50 },
    { frequency: 4, monetary: 15 },
    { frequency: 0, monetary: 0 },
  ];
  const model = fitGammaGamma(spends);
  expect(model.customers).toBe(6);
  expect(model.logLikelihood).toBeCloseTo(gammaGammaTotalLogLikelihood(model, spends), 8);
  for (const key of ['p', 'q', 'gamma'] as const) {
    for (const factor of [0.98, 1.02]) {
      expect(gammaGammaTotalLogLikelihood({ ...model, [key]: model[key] * factor }, spends)).toBeLessThan(model.logLikelihood);
    }
  }
  expect(JSON.parse(JSON.stringify(model))).toEqual(model);
});

test('the independence check correlates frequency and mean spend of returning customers only', () => {
  // (1,1), (2,2), (3,6): deviations x −1, 0, 1 and z̄ −2, −1, 3, so r = 5/√(2 · 14); x = 0 is left out.
  const r = spendFrequencyCorrelation([
    { frequency: 1, monetary: 1 },
    { frequency: 2, monetary: 2 },
    { frequency: 3, monetary: 6 },
    { frequency: 0, monetary: 0 },
  ]);
  expect(r).toBeCloseTo(5 / Math.sqrt(2 * 14), 12);
  expect(spendFrequencyCorrelation([{ frequency: 1, monetary: 3 }])).toBeNaN();
});
