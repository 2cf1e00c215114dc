import { test, expect } from 'vitest';
import { buildPassageIndex, searchPassages } from './passage-search.js';
import { expandQuery } from './query-expansion.js';

const passages = [
  { id: 'returns', fields: { title: 'Returning an item', body: 'Return unused items within 30 days for a refund.' } },
  { id: 'shipping', fields: { title: 'Delivery times', body: 'Parcels arrive in 3 to 5 business days.' } },
  { id: 'gift-cards', fields: { title: 'Gift cards', body: 'Gift cards are valid for three years.' } },
];

test('synonym groups bring the page wording into the query, at reduced weight', () => {
  const terms = expandQuery('can I send this back', [['return', 'send back']], { stem: true, stopWords: 'retrieval' });
  expect(terms.get('return')).toBe(0.5);
  expect(terms.get('send')).toBe(1);
  expect(expandQuery('send me a return label', [['gift card', 'voucher']], {}).has('voucher')).toBe(false);
});

test('finds the page a shopper means even without shared words, via synonyms', () => {
  const index = buildPassageIndex(passages, { synonyms: [['parcel', 'package'], ['return', 'send back']] });
  expect(searchPassages(index, 'when will my package come', 1)[0]?.id).toBe('shipping');
  expect(searchPassages(index, 'how do I send something back', 1)[0]?.id).toBe('returns');
});

test('the character n-gram stage forgives typos and joined words', () => {
  const index = buildPassageIndex(passages);
  expect(searchPassages(index, 'giftcard', 1)[0]?.id).toBe('gift-cards');
  expect(searchPassages(index, 'retruning', 1)[0]?.id).toBe('returns');
});

test('index survives JSON', () => {
  const index = buildPassageIndex(passages, { synonyms: [['parcel', 'package']] });
  const back = JSON.parse(JSON.stringify(index));
  expect(searchPassages(back, 'package')).toEqual(searchPassages(index, 'package'));
});
