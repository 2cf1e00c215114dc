import { test, expect } from 'vitest';
import { parseVaderLexicon } from './vader-lexicon.js';
import { compileSentimentModel, fitSentimentModel, type SentimentExample } from './sentiment-model.js';

const lexicon = parseVaderLexicon('good\t1.9\nbad\t-2.5\nlove\t3.2\n');

// Shop vocabulary the lexicon does not know: "refund", "broke", "fits".
const examples: SentimentExample[] = [
  ...['it broke after a week', 'asked for a refund', 'broke on day one', 'refund still not here', 'the strap broke'].map((text) => ({ text, label: 'negative' as const })),
  ...['fits perfectly', 'fits well and looks great', 'love how it fits', 'good fit', 'fits like a glove'].map((text) => ({ text, label: 'positive' as const })),
  ...['arrived on tuesday', 'the box is blue', 'it comes in two sizes', 'shipped from berlin', 'has a usb port'].map((text) => ({ text, label: 'neutral' as const })),
];
const model = fitSentimentModel(examples, lexicon, { tfidf: { wordNgrams: [1, 1], charNgrams: null, minDocumentFrequency: 1 }, epochs: 60, seed: 7 });

test('learns domain words the lexicon lacks', () => {
  const predictor = compileSentimentModel(model, lexicon);
  const broke = predictor.predict('mine broke too');
  expect(broke.label).toBe('negative');
  expect(broke.score).toBeLessThan(-0.05);
  expect(broke.reasons[0]?.feature).toBe('w:broke');
  expect(predictor.predict('it fits').label).toBe('positive');
});

test('probabilities sum to one and the score is P(positive) − P(negative)', () => {
  const p = compileSentimentModel(model, lexicon).predict('good but it broke');
  expect(p.probabilities.negative + p.probabilities.neutral + p.probabilities.positive).toBeCloseTo(1, 6);
  expect(p.score).toBeCloseTo(p.probabilities.positive - p.probabilities.negative, 12);
  expect(p.vader.contributions.map((c) => c.token)).toEqual(['good']);
});

test('the fitted model is plain JSON and the same seed gives the same model', () => {
  const copy = JSON.parse(JSON.stringify(model)) as typeof model;
  expect(compileSentimentModel(copy, lexicon).predict('it broke')).toEqual(compileSentimentModel(model, lexicon).predict('it broke'));
  const again = fitSentimentModel(examples, lexicon, { tfidf: { wordNgrams: [1, 1], charNgrams: null, minDocumentFrequency: 1 }, epochs: 60, seed: 7 });
  expect(again.weights).toEqual(model.weights);
});
