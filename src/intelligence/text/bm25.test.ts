import { test, expect } from 'vitest';
import { buildBm25Index, scoreBm25, searchBm25 } from './bm25.js';

const noStem = { stem: false, stopWords: false } as const;

test('single-field BM25 by hand', () => {
  // N = 2, "refund" in doc 0 only (tf 1, length 2, avg length 2): idf = ln(1 + 1.5/1.5) = ln 2,
  // tf̃ = 1 / ((1 − b) + b · 2/2) = 1, score = ln 2 · 1 / (1.2 + 1).
  const index = buildBm25Index([{ id: 'a', fields: { body: 'refund policy' } }, { id: 'b', fields: { body: 'shipping policy' } }], { tokenize: noStem });
  const scores = scoreBm25(index, 'refund');
  expect(scores[0]).toBeCloseTo(Math.log(2) / 2.2, 12);
  expect(scores[1]).toBe(0);
});

test('a field boost counts a title occurrence like repeated body occurrences, saturating once', () => {
  const passages = [
    { id: 'title', fields: { title: 'returns', body: 'send it back within thirty days' } },
    { id: 'body', fields: { title: 'delivery', body: 'returns are free within thirty days' } },
  ];
  const plain = buildBm25Index(passages, { tokenize: noStem, b: 0 });
  const boosted = buildBm25Index(passages, { tokenize: noStem, b: 0, fieldBoosts: { title: 3 } });
  const p = scoreBm25(plain, 'returns');
  expect(p[0]).toBeCloseTo(p[1] as number, 12);
  const q = scoreBm25(boosted, 'returns');
  // idf = ln(1 + 0.5/2.5); boosted title tf̃ = 3 → idf · 3 / 4.2; body tf̃ = 1 → idf / 2.2.
  const idf = Math.log(1.2);
  expect(q[0]).toBeCloseTo((idf * 3) / 4.2, 12);
  expect(q[1]).toBeCloseTo(idf / 2.2, 12);
});

test('length normalisation favours the shorter passage for the same term count', () => {
  const index = buildBm25Index([
    { id: 'long', fields: { body: 'gift card balance and many other words about other things entirely' } },
    { id: 'short', fields: { body: 'gift card balance' } },
    { id: 'none', fields: { body: 'shipping' } },
  ]);
  expect(searchBm25(index, 'gift card balance').map((h) => h.id)).toEqual(['short', 'long']);
});

test('the index is plain JSON and ranks the same after a round trip', () => {
  const index = buildBm25Index([{ id: 'a', fields: { body: 'track my parcel' } }, { id: 'b', fields: { body: 'cancel my order' } }]);
  const back = JSON.parse(JSON.stringify(index));
  expect(searchBm25(back, 'tracking parcels')).toEqual(searchBm25(index, 'tracking parcels'));
  expect(searchBm25(index, 'constructor')).toEqual([]);
});
