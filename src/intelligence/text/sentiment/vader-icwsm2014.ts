/**
 * VADER as it was when Hutto & Gilbert (2014), ICWSM-14, measured Table 4: the rules of the
 * 2014 reference code (cjhutto/vaderSentiment, `sentiment(text)`, MIT). Use this to reproduce the
 * published figures; use `scoreVader` (the maintained v3 rules) for everything else.
 *
 * What differs from v3, each kept because it changes scores:
 * - tokens: single-character tokens ("a", "I", "5") are dropped, with the reference's
 *   remove-while-iterating skip, and only the listed punctuation runs are stripped from words;
 * - a repeated word is scored in the context of its FIRST occurrence (`list.index(item)`);
 * - "never so/this" two words before multiplies by 1.5; no "no …" or "without doubt" rules;
 * - a smaller idiom list, and a multi-word dampener always subtracts 0.293;
 * - only "but" or "BUT" (not "But") triggers the contrastive shift.
 */
import {
  AFTER_BUT_WEIGHT, BEFORE_BUT_WEIGHT, BOOST_DECREMENT, BOOSTER_WORDS, CAPS_INCREMENT, NEGATION_SCALAR,
  boosterIncrement, isNegation, isUpperCaseWord, normaliseScore, punctuationEmphasis,
} from './vader-rules.js';
import type { VaderLexicon } from './vader-lexicon.js';
import type { VaderScores } from './vader.js';

const IDIOMS_2014: ReadonlyMap<string, number> = new Map([
  ['the shit', 3], ['the bomb', 3], ['bad ass', 1.5], ['yeah right', -2],
  ['cut the mustard', 2], ['kiss of death', -1.5], ['hand to mouth', -2],
]);
const PUNCTUATION_RUNS = ['.', '!', '?', ',', ';', ':', '-', "'", '"', '!!', '!!!', '??', '???', '?!?', '!?!', '?!?!', '!?!?'];
const ALL_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/** Python's `for w in xs: if len(w) <= 1: xs.remove(w)`, which skips the item after each removal. */
function dropSingleCharacters(items: string[]): void {
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as string;
    if (Array.from(item).length <= 1) items.splice(items.indexOf(item), 1);
  }
}

export function icwsm2014Tokens(text: string): string[] {
  const words = text.replace(ALL_PUNCTUATION, '').split(/\s+/).filter((w) => w !== '');
  dropSingleCharacters(words);
  const known = new Map<string, string>();
  for (const word of words) {
    for (const p of PUNCTUATION_RUNS) {
      known.set(p + word, word);
      known.set(word + p, word);
    }
  }
  const tokens = text.split(/\s+/).filter((w) => w !== '').map((w) => known.get(w) ?? w);
  dropSingleCharacters(tokens);
  return tokens;
}

export function scoreVaderIcwsm2014(text: string, lexicon: VaderLexicon): VaderScores {
  const words = icwsm2014Tokens(text);
  const lower = words.map((w) => w.toLowerCase());
  const allCaps = words.filter(isUpperCaseWord).length;
  const capsDiffer = allCaps > 0 && allCaps < words.length;
  const sentiments: number[] = [];
  for (const item of words) {
    const i = words.indexOf(item); // quirk: first occurrence
    const itemLower = item.toLowerCase();
    if ((itemLower === 'kind' && lower[i + 1] === 'of' && i < words.length - 1) || BOOSTER_WORDS.has(itemLower)) {
      sentiments.push(0);
      continue;
    }
    const base = lexicon.get(itemLower);
    sentiments.push(base === undefined ? 0 : valence2014(base, i, words, lower, lexicon, capsDiffer));
  }
  const butAt = words.includes('but') ? words.indexOf('but') : words.indexOf('BUT');
  if (butAt >= 0) {
    for (let k = 0; k < sentiments.length; k++) {
      const value = sentiments[k] as number;
      const first = sentiments.indexOf(value);
      if (first < butAt) sentiments[first] = value * BEFORE_BUT_WEIGHT;
      else if (first > butAt) sentiments[first] = value * AFTER_BUT_WEIGHT;
    }
  }
  return aggregate2014(sentiments, text);
}

function valence2014(base: number, i: number, words: string[], lower: string[], lexicon: VaderLexicon, capsDiffer: boolean): number {
  const w = (k: number): string => words[k] ?? '';
  let v = base;
  if (capsDiffer && isUpperCaseWord(w(i))) v += v > 0 ? CAPS_INCREMENT : -CAPS_INCREMENT;
  if (i > 0 && !lexicon.has(lower[i - 1] as string)) {
    v += boosterIncrement(w(i - 1), v, capsDiffer);
    if (isNegation(w(i - 1))) v *= NEGATION_SCALAR;
  }
  if (i > 1 && !lexicon.has(lower[i - 2] as string)) {
    v += boosterIncrement(w(i - 2), v, capsDiffer) * 0.95;
    if (w(i - 2) === 'never' && (w(i - 1) === 'so' || w(i - 1) === 'this')) v *= 1.5;
    else if (isNegation(w(i - 2))) v *= NEGATION_SCALAR;
  }
  if (i > 2 && !lexicon.has(lower[i - 3] as string)) {
    v += boosterIncrement(w(i - 3), v, capsDiffer) * 0.9;
    if ((w(i - 3) === 'never' && (w(i - 2) === 'so' || w(i - 2) === 'this')) || w(i - 1) === 'so' || w(i - 1) === 'this') v *= 1.25;
    else if (isNegation(w(i - 3))) v *= NEGATION_SCALAR;
    const phrases = [`${w(i - 1)} ${w(i)}`, `${w(i - 2)} ${w(i - 1)} ${w(i)}`, `${w(i - 2)} ${w(i - 1)}`, `${w(i - 3)} ${w(i - 2)} ${w(i - 1)}`, `${w(i - 3)} ${w(i - 2)}`];
    const idiom = phrases.map((p) => IDIOMS_2014.get(p)).find((x) => x !== undefined);
    if (idiom !== undefined) v = idiom;
    if (words.length - 1 > i) v = IDIOMS_2014.get(`${w(i)} ${w(i + 1)}`) ?? v;
    if (BOOSTER_WORDS.has(`${w(i - 3)} ${w(i - 2)}`) || BOOSTER_WORDS.has(`${w(i - 2)} ${w(i - 1)}`)) v += BOOST_DECREMENT;
  }
  if (i > 0 && lower[i - 1] === 'least' && !lexicon.has('least') && !(i > 1 && (lower[i - 2] === 'at' || lower[i - 2] === 'very'))) v *= NEGATION_SCALAR;
  return v;
}

function aggregate2014(sentiments: number[], text: string): VaderScores {
  if (sentiments.length === 0) return { neg: 0, neu: 0, pos: 0, compound: 0 };
  const emphasis = punctuationEmphasis(text);
  let sum = sentiments.reduce((a, b) => a + b, 0);
  if (sum > 0) sum += emphasis;
  else if (sum < 0) sum -= emphasis;
  let posSum = 0;
  let negSum = 0;
  let neutral = 0;
  for (const s of sentiments) {
    if (s > 0) posSum += s + 1;
    else if (s < 0) negSum += s - 1;
    else neutral++;
  }
  if (posSum > Math.abs(negSum)) posSum += emphasis;
  else if (posSum < Math.abs(negSum)) negSum -= emphasis;
  const total = posSum + Math.abs(negSum) + neutral;
  const r = (x: number, d: number) => Number(x.toFixed(d));
  return { neg: r(Math.abs(negSum / total), 3), neu: r(neutral / total, 3), pos: r(posSum / total, 3), compound: r(normaliseScore(sum), 4) };
}
