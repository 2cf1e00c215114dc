import { test, expect } from 'vitest';
import { tokenize, splitWords, stemWord } from './tokenize.js';

test('lower-cases, keeps accented letters and digits, drops punctuation', () => {
  expect(splitWords('Où est ma COMMANDE #1234?')).toEqual(['où', 'est', 'ma', 'commande', '1234']);
});

test('keeps contractions whole', () => {
  expect(splitWords("I can't find my order's tracking")).toEqual(['i', 'cant', 'find', 'my', 'orders', 'tracking']);
});

test('Porter-stems English words and leaves other scripts alone', () => {
  expect(tokenize('Refunds refunded shipping')).toEqual(['refund', 'refund', 'ship']);
  expect(stemWord('größe')).toBe('größe');
  expect(stemWord('x42')).toBe('x42');
});

test('stop words are removed only when asked, and never the negations', () => {
  expect(tokenize('why is my card not working', { stopWords: true, stem: false })).toEqual(['why', 'card', 'not', 'working']);
  expect(tokenize('why is my card', { stem: false })).toEqual(['why', 'is', 'my', 'card']);
});

test('segments unspaced scripts into words', () => {
  const words = splitWords('我想退货');
  expect(words.length).toBeGreaterThan(1);
  expect(words.join('')).toBe('我想退货');
});
