import { test, expect } from 'vitest';
import { parseVaderLexicon } from './vader-lexicon.js';
import { scoreVader, vaderTokens } from './vader.js';
import { isUpperCaseWord, normaliseScore, punctuationEmphasis } from './vader-rules.js';

// A hand-made excerpt in the lexicon's own TSV layout (valences as in vader_lexicon.txt).
const lexicon = parseVaderLexicon([
  'good\t1.9\t0.9434\t[2, 1, 1, 3, 2, 4, 2, 2, 1, 1]',
  'bad\t-2.5\t0.67082\t[-2, -3, -3, -3, -2, -2, -3, -1, -3, -3]',
  'great\t3.1\t0.7\t[3, 3, 3, 3, 3, 3, 3, 3, 3, 3]',
  'horrible\t-2.5\t0.6\t[-2, -3, -3, -3, -2, -2, -3, -2, -2, -3]',
  'no\t-1.2\t0.7\t[-1, -1, -1, -1, -1, -1, -1, -1, -1, -1]',
  ':)\t2.0\t1.2\t[2, 2, 2, 2, 2, 2, 2, 2, 2, 2]',
  '',
].join('\n'));

const normalised = (x: number) => Number((x / Math.sqrt(x * x + 15)).toFixed(4));

test('the lexicon parser keeps token and mean valence and skips blank lines', () => {
  expect(lexicon.size).toBe(6);
  expect(lexicon.get('bad')).toBe(-2.5);
  expect(() => parseVaderLexicon('oops\tnotanumber')).toThrow(/bad valence/);
});

test('a single sentiment word is normalised with alpha = 15', () => {
  const r = scoreVader('The book was good.', lexicon);
  expect(r.compound).toBe(normalised(1.9)); // 0.4404, as the reference prints
  expect(r.compound).toBe(0.4404);
  // pos = (1.9 + 1) / (2.9 + 3 neutral words)
  expect(r.pos).toBe(Number((2.9 / 5.9).toFixed(3)));
  expect(r.neg).toBe(0);
  expect(r.contributions).toEqual([{ token: 'good', valence: 1.9 }]);
});

test('a negation in the three preceding words flips and dampens by -0.74', () => {
  expect(scoreVader('not good', lexicon).compound).toBe(normalised(1.9 * -0.74));
  expect(scoreVader("isn't really good", lexicon).compound).toBe(normalised((1.9 + 0.293) * -0.74));
  expect(scoreVader('not very good', lexicon).compound).toBe(normalised((1.9 + 0.293) * -0.74));
  expect(scoreVader('no good', lexicon).compound).toBe(normalised(1.9 * -0.74)); // "no" negates, adds nothing itself
});

test('boosters add 0.293 in the direction of the valence, less with distance', () => {
  expect(scoreVader('very good', lexicon).compound).toBe(normalised(1.9 + 0.293));
  expect(scoreVader('very bad', lexicon).compound).toBe(normalised(-2.5 - 0.293));
  expect(scoreVader('slightly good', lexicon).compound).toBe(normalised(1.9 - 0.293));
  expect(scoreVader('very, very good', lexicon).compound).toBe(normalised(1.9 + 0.293 + 0.293 * 0.95));
  // Multi-word dampeners are looked up in the idiom step, which needs three words before the word.
  expect(scoreVader('it is kind of good', lexicon).compound).toBe(normalised(1.9 - 0.293));
});

test('ALL CAPS emphasis counts only when other words are not in caps', () => {
  expect(scoreVader('it is GOOD', lexicon).compound).toBe(normalised(1.9 + 0.733));
  expect(scoreVader('GOOD', lexicon).compound).toBe(normalised(1.9));
  expect(isUpperCaseWord('GOOD!')).toBe(true);
  expect(isUpperCaseWord('123')).toBe(false);
});

test('exclamation marks (up to four) and repeated question marks amplify', () => {
  expect(punctuationEmphasis('good!!')).toBeCloseTo(0.584, 10);
  expect(punctuationEmphasis('good!!!!!!')).toBeCloseTo(4 * 0.292, 10);
  expect(punctuationEmphasis('good?')).toBe(0);
  expect(punctuationEmphasis('good??')).toBeCloseTo(0.36, 10);
  expect(punctuationEmphasis('good?????')).toBe(0.96);
  expect(scoreVader('bad!!', lexicon).compound).toBe(normalised(-2.5 - 0.584));
});

test('"but" halves the sentiment before it and amplifies the sentiment after it', () => {
  expect(scoreVader('good but bad', lexicon).compound).toBe(normalised(1.9 * 0.5 + -2.5 * 1.5));
});

test('"least" negates except in "at least"', () => {
  expect(scoreVader('the least good', lexicon).compound).toBe(normalised(1.9 * -0.74));
  expect(scoreVader('at least good', lexicon).compound).toBe(normalised(1.9));
});

test('special-case idioms override the words in them', () => {
  expect(scoreVader('you are a bad ass', lexicon).compound).toBe(normalised(1.5));
});

test('tokens lose surrounding punctuation except short emoticons', () => {
  expect(vaderTokens('Hello, world! :) (ok)')).toEqual(['Hello', 'world', ':)', '(ok)']);
  expect(scoreVader('great :)', lexicon).compound).toBe(normalised(3.1 + 2.0));
});

test('text without words scores zero', () => {
  expect(scoreVader('   ', lexicon)).toEqual({ neg: 0, neu: 0, pos: 0, compound: 0, contributions: [] });
  expect(normaliseScore(1e9)).toBeLessThanOrEqual(1);
});

test('emoji are replaced by their descriptions when a table is given', () => {
  const emoji = new Map([['😁', 'good']]);
  expect(scoreVader('delivered😁', lexicon, { emojiDescriptions: emoji }).compound).toBe(normalised(1.9));
  expect(scoreVader('delivered😁', lexicon).compound).toBe(0);
});
