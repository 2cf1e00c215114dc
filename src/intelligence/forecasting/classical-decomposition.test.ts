import { expect, test } from 'vitest';
import { deseasonalise, futureSeasonalIndices, seasonalFigure } from './classical-decomposition.js';
import { reseasonalise, seasonallyAdjust } from './seasonal-adjustment.js';

test('the 2×m moving average detrends and the figure is normalised to mean 1', () => {
  // m = 2: trend at every inner point is ¼·1 + ½·3 + ¼·1 = 2 (or ¼·3 + ½·1 + ¼·3 = 2); ratios 0.5 and 1.5
  const figure = seasonalFigure([1, 3, 1, 3, 1, 3], 2);
  expect(Array.from(figure)).toEqual([0.5, 1.5]);
  expect(Array.from(deseasonalise([1, 3, 1, 3], figure))).toEqual([2, 2, 2, 2]);
});

test('future indices continue the phase after the last observation', () => {
  expect(futureSeasonalIndices([0.5, 1.5], 6)).toEqual([0.5, 1.5]);
  expect(futureSeasonalIndices([0.5, 1.5], 5)).toEqual([1.5, 0.5]);
});

test('additive figure is centred on zero', () => {
  expect(Array.from(seasonalFigure([1, 3, 1, 3, 1, 3], 2, 'additive'))).toEqual([-1, 1]);
});

test('seasonal adjustment applies only when the ACF test passes, and reseasonalises forecasts', () => {
  const seasonal = Array.from({ length: 24 }, (_, t) => (t % 4 === 0 ? 40 : 10));
  const adjusted = seasonallyAdjust(seasonal, 4);
  expect(adjusted.adjustment.applied).toBe(true);
  expect(reseasonalise(adjusted.adjustment, [17.5, 17.5, 17.5, 17.5, 17.5])).toEqual([40, 10, 10, 10, 40].map((v) => expect.closeTo(v, 9)));
  const line = Array.from({ length: 12 }, (_, t) => t + 1);
  const flat = seasonallyAdjust(line, 4);
  expect(flat.adjustment.applied).toBe(false);
  expect(Array.from(flat.adjusted)).toEqual(line);
});
