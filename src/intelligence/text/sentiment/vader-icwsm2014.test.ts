import { test, expect } from 'vitest';
import { parseVaderLexicon } from './vader-lexicon.js';
import { icwsm2014Tokens, scoreVaderIcwsm2014 } from './vader-icwsm2014.js';
import { scoreVader } from './vader.js';

const lexicon = parseVaderLexicon('good\t1.9\nbad\t-2.5\n');
const normalised = (x: number) => Number((x / Math.sqrt(x * x + 15)).toFixed(4));

test('single characters are dropped, with the reference skipping the item after each drop', () => {
  expect(icwsm2014Tokens('I am a good, happy buyer!!')).toEqual(['am', 'good', 'happy', 'buyer']);
  expect(icwsm2014Tokens('a b good')).toEqual(['b', 'good']);
});

test('a repeated word takes the context of its first occurrence', () => {
  expect(scoreVaderIcwsm2014('not good, I said it was good', lexicon).compound).toBe(normalised(2 * 1.9 * -0.74));
  expect(scoreVader('not good, I said it was good', lexicon).compound).toBe(normalised(1.9 * -0.74 + 1.9));
});

test('"never so" multiplies by 1.5 and a capitalised "But" does not shift', () => {
  expect(scoreVaderIcwsm2014('never so good', lexicon).compound).toBe(normalised((1.9 + 0.293) * 1.5));
  expect(scoreVaderIcwsm2014('good. But bad', lexicon).compound).toBe(normalised(1.9 - 2.5));
  expect(scoreVaderIcwsm2014('good but bad', lexicon).compound).toBe(normalised(1.9 * 0.5 - 2.5 * 1.5));
});

test('shared rules agree with v3 on plain sentences', () => {
  for (const text of ['The book was good.', 'very bad!!', 'it is not good']) {
    expect(scoreVaderIcwsm2014(text, lexicon).compound).toBe(scoreVader(text, lexicon).compound);
  }
});
