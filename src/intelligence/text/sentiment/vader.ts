/**
 * VADER sentiment intensity, a TypeScript port of the reference implementation
 * (cjhutto/vaderSentiment, MIT; see assets/VADER-LICENSE.txt) of
 * Hutto & Gilbert (2014), "VADER: A Parsimonious Rule-based Model for Sentiment Analysis of Social
 * Media Text", ICWSM-14. Lexicon valences (§3.1) are adjusted by the five heuristics of §3.3:
 * punctuation, capitalisation, degree modifiers, "but", and the tri-gram negation window, plus
 * the reference code's "least" and idiom special cases; the sum is normalised with α = 15.
 *
 * Where the reference has quirks that change scores (the "but" rule's first-equal-value lookup,
 * the operator precedence in the three-word "so/this" check) they are reproduced on purpose, so
 * our figures match the published ones; each is marked "quirk".
 *
 * Not ported: the emoji-to-description pass (its emoji lexicon is not shipped); callers may
 * pass `emojiDescriptions` to get it.
 */
import {
  AFTER_BUT_WEIGHT, BEFORE_BUT_WEIGHT, BOOSTER_WORDS, CAPS_INCREMENT, NEGATION_SCALAR, SPECIAL_CASE_IDIOMS,
  boosterIncrement, isNegation, isUpperCaseWord, normaliseScore, punctuationEmphasis,
} from './vader-rules.js';
import type { VaderLexicon } from './vader-lexicon.js';

export interface VaderScores {
  /** Proportions of the text that read negative, neutral and positive; they sum to about 1. */
  neg: number;
  neu: number;
  pos: number;
  /** Normalised, weighted composite score in [-1, 1]; ≥ 0.05 positive, ≤ -0.05 negative. */
  compound: number;
}

export interface VaderContribution {
  token: string;
  /** Valence after every rule (negation, boosters, caps, "but"), before normalisation. */
  valence: number;
}

export interface VaderResult extends VaderScores {
  /** Tokens that moved the score, strongest first: the reasons a merchant can be shown. */
  contributions: VaderContribution[];
}

export interface VaderOptions {
  /** Emoji → English description (e.g. "😁" → "beaming face with smiling eyes"), applied first. */
  emojiDescriptions?: ReadonlyMap<string, string>;
}

const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/** Whitespace tokens with leading/trailing punctuation removed, unless that leaves ≤ 2 characters (emoticons). */
export function vaderTokens(text: string): string[] {
  return text.split(/\s+/).filter((t) => t !== '').map(stripPunctuationIfWord);
}

function stripPunctuationIfWord(token: string): string {
  const chars = Array.from(token);
  let start = 0;
  let end = chars.length;
  while (start < end && PUNCTUATION.has(chars[start] as string)) start++;
  while (end > start && PUNCTUATION.has(chars[end - 1] as string)) end--;
  return end - start <= 2 ? token : chars.slice(start, end).join('');
}

/** Scores one sentence (VADER works best sentence by sentence). */
export function scoreVader(text: string, lexicon: VaderLexicon, options: VaderOptions = {}): VaderResult {
  const cleaned = (options.emojiDescriptions ? describeEmoji(text, options.emojiDescriptions) : text).trim();
  const words = vaderTokens(cleaned);
  const lower = words.map((w) => w.toLowerCase());
  const allCaps = words.filter(isUpperCaseWord).length;
  const capsDiffer = allCaps > 0 && allCaps < words.length;

  const sentiments: number[] = [];
  for (let i = 0; i < words.length; i++) {
    // Modifiers carry no valence of their own; they act on the word they precede.
    if (BOOSTER_WORDS.has(lower[i] as string) || (lower[i] === 'kind' && lower[i + 1] === 'of')) {
      sentiments.push(0);
      continue;
    }
    sentiments.push(wordValence(i, words, lower, lexicon, capsDiffer));
  }
  applyButShift(lower, sentiments);
  return { ...aggregate(sentiments, cleaned), contributions: contributionsOf(words, sentiments) };
}

function wordValence(i: number, words: string[], lower: string[], lexicon: VaderLexicon, capsDiffer: boolean): number {
  const word = lower[i] as string;
  const base = lexicon.get(word);
  if (base === undefined) return 0;
  let valence = base;
  // "no" followed by a lexicon word negates that word instead of counting as negative itself.
  if (word === 'no' && i !== words.length - 1 && lexicon.has(lower[i + 1] as string)) valence = 0;
  if (lower[i - 1] === 'no' || (i > 1 && lower[i - 2] === 'no')
    || (i > 2 && lower[i - 3] === 'no' && (lower[i - 1] === 'or' || lower[i - 1] === 'nor'))) {
    valence = base * NEGATION_SCALAR;
  }
  if (capsDiffer && isUpperCaseWord(words[i] as string)) valence += valence > 0 ? CAPS_INCREMENT : -CAPS_INCREMENT;

  for (let distance = 0; distance < 3; distance++) {
    const j = i - distance - 1;
    if (j < 0 || lexicon.has(lower[j] as string)) continue;
    // Boosters further away count less (×0.95 at two words, ×0.9 at three).
    let increment = boosterIncrement(words[j] as string, valence, capsDiffer);
    if (distance === 1) increment *= 0.95;
    if (distance === 2) increment *= 0.9;
    valence = negationWindow(valence + increment, lower, distance, i);
    if (distance === 2) valence = specialIdioms(valence, lower, i);
  }
  return leastCheck(valence, lower, lexicon, i);
}

function negationWindow(valence: number, lower: string[], distance: number, i: number): number {
  const at = (k: number): string => lower[i - k] ?? '';
  if (distance === 0) return isNegation(at(1)) ? valence * NEGATION_SCALAR : valence;
  if (distance === 1) {
    if (at(2) === 'never' && (at(1) === 'so' || at(1) === 'this')) return valence * 1.25;
    if (at(2) === 'without' && at(1) === 'doubt') return valence;
    return isNegation(at(2)) ? valence * NEGATION_SCALAR : valence;
  }
  // Quirk: the reference reads `never ∧ (so|this at -2) ∨ (so|this at -1)`, so any "so"/"this"
  // right before the word boosts by 1.25 at this step.
  if ((at(3) === 'never' && (at(2) === 'so' || at(2) === 'this')) || at(1) === 'so' || at(1) === 'this') return valence * 1.25;
  if (at(3) === 'without' && (at(2) === 'doubt' || at(1) === 'doubt')) return valence;
  return isNegation(at(3)) ? valence * NEGATION_SCALAR : valence;
}

function specialIdioms(valence: number, lower: string[], i: number): number {
  const w = (k: number): string => lower[k] ?? '';
  const oneZero = `${w(i - 1)} ${w(i)}`;
  const twoOneZero = `${w(i - 2)} ${w(i - 1)} ${w(i)}`;
  const twoOne = `${w(i - 2)} ${w(i - 1)}`;
  const threeTwoOne = `${w(i - 3)} ${w(i - 2)} ${w(i - 1)}`;
  const threeTwo = `${w(i - 3)} ${w(i - 2)}`;
  let result = valence;
  for (const phrase of [oneZero, twoOneZero, twoOne, threeTwoOne, threeTwo]) {
    const idiom = SPECIAL_CASE_IDIOMS.get(phrase);
    if (idiom !== undefined) {
      result = idiom;
      break;
    }
  }
  if (lower.length - 1 > i) result = SPECIAL_CASE_IDIOMS.get(`${w(i)} ${w(i + 1)}`) ?? result;
  if (lower.length - 1 > i + 1) result = SPECIAL_CASE_IDIOMS.get(`${w(i)} ${w(i + 1)} ${w(i + 2)}`) ?? result;
  // Multi-word dampeners ("kind of", "sort of") preceding the word.
  for (const phrase of [threeTwoOne, threeTwo, twoOne]) result += BOOSTER_WORDS.get(phrase) ?? 0;
  return result;
}

/** "least" negates ("the least useful") except in "at least" / "very least". */
function leastCheck(valence: number, lower: string[], lexicon: VaderLexicon, i: number): number {
  if (i === 0 || lower[i - 1] !== 'least' || lexicon.has('least')) return valence;
  if (i > 1 && (lower[i - 2] === 'at' || lower[i - 2] === 'very')) return valence;
  return valence * NEGATION_SCALAR;
}

/**
 * Quirk: the reference finds each value's position with `list.index(value)`, i.e. the FIRST
 * equal value, so repeated valences on both sides of "but" are weighted as the reference does.
 */
function applyButShift(lower: string[], sentiments: number[]): void {
  const butAt = lower.indexOf('but');
  if (butAt < 0) return;
  for (let k = 0; k < sentiments.length; k++) {
    const value = sentiments[k] as number;
    const first = sentiments.indexOf(value);
    if (first < butAt) sentiments[first] = value * BEFORE_BUT_WEIGHT;
    else if (first > butAt) sentiments[first] = value * AFTER_BUT_WEIGHT;
  }
}

function aggregate(sentiments: number[], text: string): VaderScores {
  if (sentiments.length === 0) return { neg: 0, neu: 0, pos: 0, compound: 0 };
  const emphasis = punctuationEmphasis(text);
  let sum = sentiments.reduce((a, b) => a + b, 0);
  if (sum > 0) sum += emphasis;
  else if (sum < 0) sum -= emphasis;
  const compound = normaliseScore(sum);

  // Each sentiment word also counts as one "word" of text, hence the ±1.
  let posSum = 0;
  let negSum = 0;
  let neutralCount = 0;
  for (const s of sentiments) {
    if (s > 0) posSum += s + 1;
    else if (s < 0) negSum += s - 1;
    else neutralCount++;
  }
  if (posSum > Math.abs(negSum)) posSum += emphasis;
  else if (posSum < Math.abs(negSum)) negSum -= emphasis;
  const total = posSum + Math.abs(negSum) + neutralCount;
  return {
    neg: round(Math.abs(negSum / total), 3),
    neu: round(Math.abs(neutralCount / total), 3),
    pos: round(Math.abs(posSum / total), 3),
    compound: round(compound, 4),
  };
}

function contributionsOf(words: string[], sentiments: number[]): VaderContribution[] {
  return words
    .map((token, k) => ({ token, valence: sentiments[k] as number }))
    .filter((c) => c.valence !== 0)
    .sort((a, b) => Math.abs(b.valence) - Math.abs(a.valence));
}

function describeEmoji(text: string, descriptions: ReadonlyMap<string, string>): string {
  let out = '';
  let previousSpace = true;
  for (const ch of text) {
    const description = descriptions.get(ch);
    if (description === undefined) {
      out += ch;
      previousSpace = ch === ' ';
    } else {
      out += (previousSpace ? '' : ' ') + description;
      previousSpace = false;
    }
  }
  return out;
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}
