/**
 * Word tokenizer for the intelligence core: Unicode-aware, lower-cased, optionally
 * Porter-stemmed (Porter 1980, "An algorithm for suffix stripping", Program 14(3), via the
 * `stemmer` package) and stop-word filtered.
 *
 * Space-delimited scripts are split with a `\p{L}\p{M}\p{N}` regex (fast, deterministic);
 * text containing Han, Kana, Hangul-free CJK or Thai runs goes through `Intl.Segmenter`,
 * whose dictionary segmentation is the only sensible option without spaces.
 */
import { stemmer } from 'stemmer';
import { ENGLISH_STOP_WORDS, RETRIEVAL_STOP_WORDS } from './stop-words.js';

export interface TokenizeOptions {
  /** Porter-stem Latin-script words (English). Default true. */
  stem?: boolean;
  /**
   * Drop stop words: `true` for the built-in English function words, `'retrieval'` to also
   * drop question scaffolding, or your own list (an array keeps options JSON-serialisable).
   * Default false.
   */
  stopWords?: boolean | 'retrieval' | readonly string[] | ReadonlySet<string>;
  /** Drop tokens shorter than this (after lower-casing). Default 1. */
  minLength?: number;
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
// Apostrophes inside a word ("don't", "customer’s") are removed so the word stays whole.
const INNER_APOSTROPHE = /(?<=[\p{L}\p{N}])['’](?=\p{L})/gu;
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const LATIN_WORD = /^[a-z]+$/;

let segmenter: Intl.Segmenter | undefined;

/** Lower-cased words of `text`, in order, before stemming and stop-word removal. */
export function splitWords(text: string): string[] {
  const normalised = text.normalize('NFKC').toLowerCase().replace(INNER_APOSTROPHE, '');
  if (UNSPACED_SCRIPT.test(normalised) && typeof Intl.Segmenter === 'function') {
    segmenter ??= new Intl.Segmenter('und', { granularity: 'word' });
    const words: string[] = [];
    for (const s of segmenter.segment(normalised)) if (s.isWordLike) words.push(...(s.segment.match(WORD) ?? []));
    return words;
  }
  return normalised.match(WORD) ?? [];
}

/** Porter stem of an English word; other scripts and words with digits are left as they are. */
export function stemWord(word: string): string {
  return LATIN_WORD.test(word) && word.length > 2 ? stemmer(word) : word;
}

const customStopWords = new WeakMap<readonly string[], ReadonlySet<string>>();

function resolveStopWords(option: TokenizeOptions['stopWords']): ReadonlySet<string> | undefined {
  if (!option) return undefined;
  if (option === true) return ENGLISH_STOP_WORDS;
  if (option === 'retrieval') return RETRIEVAL_STOP_WORDS;
  if (Array.isArray(option)) {
    const list = option as readonly string[];
    let set = customStopWords.get(list);
    if (!set) customStopWords.set(list, (set = new Set(list)));
    return set;
  }
  return option as ReadonlySet<string>;
}

/** Tokens of `text`: lower-cased words, stop words removed if asked, then stemmed. */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const stem = options.stem ?? true;
  const stopWords = resolveStopWords(options.stopWords);
  const minLength = options.minLength ?? 1;
  const tokens: string[] = [];
  for (const word of splitWords(text)) {
    if (word.length < minLength || stopWords?.has(word)) continue;
    tokens.push(stem ? stemWord(word) : word);
  }
  return tokens;
}
