/**
 * TF-IDF text features over word n-grams and in-word character n-grams, with sublinear tf
 * (1 + ln tf) and smoothed idf ln((1 + N) / (1 + df)) + 1 (Manning, Raghavan & Schütze 2008,
 * "Introduction to Information Retrieval", §6.2–6.4.1). Word and character blocks are each
 * L2-normalised before being weighted and joined, so the many character n-grams of a query do
 * not drown its few words; the joined vector is L2-normalised again.
 *
 * The fitted vocabulary is a list of n-gram strings with their document frequencies, kept
 * only when seen in at least `minDocumentFrequency` documents: compact JSON, exact idf, and
 * no hash collisions.
 */
import { tokenize, splitWords, type TokenizeOptions } from './tokenize.js';
import { wordNgrams, charNgrams } from './ngrams.js';
import type { SparseVector } from '../linear/sparse.js';

export interface TfidfOptions {
  /** Word n-gram range over stemmed tokens; null for none. Default [1, 2]. */
  wordNgrams?: readonly [number, number] | null;
  /** Character n-gram range inside word boundaries; null for none. Default [2, 5]. */
  charNgrams?: readonly [number, number] | null;
  tokenize?: TokenizeOptions;
  /** Keep n-grams seen in at least this many training documents. Default 2. */
  minDocumentFrequency?: number;
  /** Weight of the character block relative to the word block (1). Default 1. */
  charWeight?: number;
  /** 1 + ln(tf) instead of raw counts. Default true. */
  sublinearTf?: boolean;
}

export interface TfidfModel {
  options: Required<Omit<TfidfOptions, 'tokenize'>> & { tokenize: TokenizeOptions };
  /** Feature names: `w:` + word n-gram or `c:` + character n-gram. */
  vocabulary: string[];
  documentFrequency: number[];
  documentCount: number;
}

function resolveOptions(options: TfidfOptions): TfidfModel['options'] {
  return {
    wordNgrams: options.wordNgrams === undefined ? [1, 2] : options.wordNgrams,
    charNgrams: options.charNgrams === undefined ? [2, 5] : options.charNgrams,
    tokenize: options.tokenize ?? {},
    minDocumentFrequency: options.minDocumentFrequency ?? 2,
    charWeight: options.charWeight ?? 1,
    sublinearTf: options.sublinearTf ?? true,
  };
}

/** Raw n-gram counts of one text, word and character features in separate maps. */
export function countNgrams(text: string, options: TfidfModel['options']): { words: Map<string, number>; chars: Map<string, number> } {
  const words = new Map<string, number>();
  const chars = new Map<string, number>();
  if (options.wordNgrams) {
    for (const g of wordNgrams(tokenize(text, options.tokenize), options.wordNgrams[0], options.wordNgrams[1])) {
      const key = `w:${g}`;
      words.set(key, (words.get(key) ?? 0) + 1);
    }
  }
  if (options.charNgrams) {
    for (const g of charNgrams(splitWords(text), options.charNgrams[0], options.charNgrams[1])) {
      const key = `c:${g}`;
      chars.set(key, (chars.get(key) ?? 0) + 1);
    }
  }
  return { words, chars };
}

export function fitTfidf(texts: readonly string[], options: TfidfOptions = {}): TfidfModel {
  const resolved = resolveOptions(options);
  const df = new Map<string, number>();
  for (const text of texts) {
    const { words, chars } = countNgrams(text, resolved);
    for (const key of words.keys()) df.set(key, (df.get(key) ?? 0) + 1);
    for (const key of chars.keys()) df.set(key, (df.get(key) ?? 0) + 1);
  }
  const vocabulary: string[] = [];
  const documentFrequency: number[] = [];
  for (const [key, count] of df) {
    if (count < resolved.minDocumentFrequency) continue;
    vocabulary.push(key);
    documentFrequency.push(count);
  }
  return { options: resolved, vocabulary, documentFrequency, documentCount: texts.length };
}

/** A fitted vectoriser compiled for fast lookups; build once per model. */
export interface TfidfVectorizer {
  readonly model: TfidfModel;
  readonly dimension: number;
  vectorize(text: string): SparseVector;
}

export function compileTfidf(model: TfidfModel): TfidfVectorizer {
  const index = new Map<string, number>();
  model.vocabulary.forEach((key, i) => index.set(key, i));
  const idf = Float64Array.from(model.documentFrequency, (df) => Math.log((1 + model.documentCount) / (1 + df)) + 1);
  const { sublinearTf, charWeight } = model.options;

  const block = (counts: Map<string, number>, weight: number, into: Map<number, number>): void => {
    let sumSquares = 0;
    const start = into.size;
    for (const [key, count] of counts) {
      const i = index.get(key);
      if (i === undefined) continue;
      const v = (sublinearTf ? 1 + Math.log(count) : count) * (idf[i] as number);
      into.set(i, v);
      sumSquares += v * v;
    }
    if (into.size === start || sumSquares === 0) return;
    const scale = weight / Math.sqrt(sumSquares);
    let k = 0;
    for (const [i, v] of into) if (k++ >= start) into.set(i, v * scale);
  };

  return {
    model,
    dimension: model.vocabulary.length,
    vectorize(text: string): SparseVector {
      const { words, chars } = countNgrams(text, model.options);
      const values = new Map<number, number>();
      block(words, 1, values);
      block(chars, charWeight, values);
      let norm = 0;
      for (const v of values.values()) norm += v * v;
      norm = Math.sqrt(norm) || 1;
      const entries = [...values].sort((a, b) => a[0] - b[0]);
      return {
        indices: Int32Array.from(entries, ([i]) => i),
        values: Float32Array.from(entries, ([, v]) => v / norm),
      };
    },
  };
}
