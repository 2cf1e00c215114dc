import { test, expect } from 'vitest';
import { classificationReport, pearsonCorrelation, polarClassificationScores, polarityClass, ratingClass } from './sentiment-evaluation.js';

test('scores and human ratings are classed with the ±0.05 rule (ratings divided by 4 first)', () => {
  expect(polarityClass(0.05)).toBe('positive');
  expect(polarityClass(0.049)).toBe('neutral');
  expect(polarityClass(-0.05)).toBe('negative');
  expect(ratingClass(0.2)).toBe('positive'); // 0.2 / 4 = 0.05
  expect(ratingClass(0.15)).toBe('neutral');
  expect(ratingClass(-0.9)).toBe('negative');
});

test('Pearson r of hand-checked series', () => {
  expect(pearsonCorrelation([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
  expect(pearsonCorrelation([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
  expect(pearsonCorrelation([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 12);
});

test('per-class, weighted and macro F1 on a small confusion', () => {
  // truth:     P P P N N U ;  predicted: P P N N U U
  const report = classificationReport(
    ['positive', 'positive', 'positive', 'negative', 'negative', 'neutral'],
    ['positive', 'positive', 'negative', 'negative', 'neutral', 'neutral'],
  );
  expect(report.perClass.positive).toEqual({ precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
  expect(report.perClass.negative.f1).toBeCloseTo(0.5, 12); // P = 1/2, R = 1/2
  expect(report.perClass.neutral.f1).toBeCloseTo(2 / 3, 12); // P = 1/2, R = 1
  expect(report.weighted.f1).toBeCloseTo((3 * 0.8 + 2 * 0.5 + 2 / 3) / 6, 12);
  expect(report.macro.f1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
  expect(report.accuracy).toBeCloseTo(4 / 6, 12);
});

test('Table 4 averaging: positive and negative classes only, on items rated polar', () => {
  // truth:     P P N N U ;  predicted: P U N P P   (the neutral-truth item is ignored)
  const scores = polarClassificationScores(
    ['positive', 'positive', 'negative', 'negative', 'neutral'],
    ['positive', 'neutral', 'negative', 'positive', 'positive'],
  );
  // positive: P = 1/2, R = 1/2;  negative: P = 1, R = 1/2, F1 = 2/3
  expect(scores.items).toBe(4);
  expect(scores.precision).toBeCloseTo(0.75, 12);
  expect(scores.recall).toBeCloseTo(0.5, 12);
  expect(scores.f1).toBeCloseTo((0.5 + 2 / 3) / 2, 12);
});
