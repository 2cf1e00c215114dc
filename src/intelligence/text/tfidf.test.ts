import { test, expect } from 'vitest';
import { fitTfidf, compileTfidf } from './tfidf.js';
import { charNgrams, wordNgrams } from './ngrams.js';
import { sparseNorm, sparseDot } from '../linear/sparse.js';

test('word and in-word character n-grams', () => {
  expect(wordNgrams(['track', 'my', 'order'], 1, 2)).toEqual(['track', 'my', 'order', 'track my', 'my order']);
  expect(charNgrams(['ab'], 2, 3)).toEqual([' a', 'ab', 'b ', ' ab', 'ab ']);
  expect(charNgrams(['a'], 4, 5)).toEqual([' a ']);
});

test('smoothed idf and sublinear tf by hand', () => {
  const docs = ['refund refund', 'refund order', 'order'];
  const model = fitTfidf(docs, { charNgrams: null, wordNgrams: [1, 1], minDocumentFrequency: 1, tokenize: { stem: false } });
  const v = compileTfidf(model);
  const x = v.vectorize('refund refund order');
  // idf(refund) = idf(order) = ln(4/3) + 1; tf: refund 1 + ln 2, order 1.
  const idf = Math.log(4 / 3) + 1;
  const raw = [(1 + Math.log(2)) * idf, idf];
  const norm = Math.hypot(...raw);
  const refund = model.vocabulary.indexOf('w:refund');
  const order = model.vocabulary.indexOf('w:order');
  const value = (i: number) => x.values[Array.from(x.indices).indexOf(i)];
  expect(value(refund)).toBeCloseTo(raw[0]! / norm, 6);
  expect(value(order)).toBeCloseTo(raw[1]! / norm, 6);
});

test('vectors are unit-norm; rare n-grams are pruned; unseen text maps to nothing', () => {
  const docs = ['where is my order', 'where is my parcel', 'return an item', 'return my order'];
  const v = compileTfidf(fitTfidf(docs));
  expect(v.model.vocabulary).not.toContain('w:parcel');
  expect(sparseNorm(v.vectorize('where is my order'))).toBeCloseTo(1, 6);
  expect(v.vectorize('zzz qqq').indices.length).toBe(0);
  const similar = sparseDot(v.vectorize('where is my order'), v.vectorize('where is my orders'));
  const different = sparseDot(v.vectorize('where is my order'), v.vectorize('return an item'));
  expect(similar).toBeGreaterThan(different);
});

test('character n-grams count code points, not UTF-16 units', () => {
  expect(charNgrams(['a😀'], 2, 2)).toEqual([' a', 'a😀', '😀 ']);
});
