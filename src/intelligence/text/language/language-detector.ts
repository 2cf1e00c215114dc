/**
 * Language identification by naive Bayes over character 1–3-grams of space-padded words, the
 * n-gram profile idea of Cavnar & Trenkle (1994), "N-Gram-Based Text Categorization", SDAIR-94,
 * with a multinomial likelihood (Laplace smoothing) instead of their out-of-place rank distance,
 * since it gives a probability we can turn into a confidence. Function words add evidence the way
 * Grefenstette (1995) "Comparing two language identification schemes" used short words.
 */
import { LANGUAGE_SAMPLES, LANGUAGE_STOP_WORDS } from './language-samples.js';

export interface LanguageModel {
  languages: string[];
  /** language → n-gram → log P(n-gram | language). */
  logProbabilities: Record<string, Record<string, number>>;
  /** language → log-probability of an n-gram never seen in that language's sample. */
  unseenLogProbability: Record<string, number>;
  stopWords: Record<string, string[]>;
  /** Log-likelihood ratio one function word adds for each language that lists it. */
  stopWordWeight: number;
}

export interface LanguageGuess {
  /** ISO 639-1 code, or 'und' (undetermined) when the text is too short or ambiguous. */
  language: string;
  /** Posterior probability of `language` (of the best guess when 'und'). */
  confidence: number;
  /** Every language's posterior, best first; useful to show "probably Spanish or Portuguese". */
  ranking: { language: string; probability: number }[];
}

export interface DetectOptions {
  /** Fewer letters than this → 'und'. */
  minLetters?: number;
  /** A best posterior below this → 'und'. */
  minConfidence?: number;
}

/** Words of letters (and in-word apostrophes), lower-cased and NFC-normalised. */
export function languageWords(text: string): string[] {
  return text.normalize('NFC').toLowerCase().split(/[^\p{L}']+/u)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w !== '');
}

/** 1-, 2- and 3-grams of each word padded with spaces, so word starts and ends are features. */
export function characterNgrams(words: readonly string[]): string[] {
  const grams: string[] = [];
  for (const word of words) {
    const chars = Array.from(` ${word} `);
    for (let n = 1; n <= 3; n++) {
      for (let i = 0; i + n <= chars.length; i++) {
        const gram = chars.slice(i, i + n).join('');
        if (gram !== ' ') grams.push(gram);
      }
    }
  }
  return grams;
}

export function fitLanguageModel(
  samples: Readonly<Record<string, string>> = LANGUAGE_SAMPLES,
  stopWords: Readonly<Record<string, readonly string[]>> = LANGUAGE_STOP_WORDS,
  smoothing = 0.5,
): LanguageModel {
  const languages = Object.keys(samples).sort();
  const counts = new Map<string, Map<string, number>>();
  const vocabulary = new Set<string>();
  for (const language of languages) {
    const table = new Map<string, number>();
    for (const gram of characterNgrams(languageWords(samples[language] ?? ''))) {
      table.set(gram, (table.get(gram) ?? 0) + 1);
      vocabulary.add(gram);
    }
    counts.set(language, table);
  }
  const logProbabilities: Record<string, Record<string, number>> = {};
  const unseenLogProbability: Record<string, number> = {};
  for (const language of languages) {
    const table = counts.get(language) as Map<string, number>;
    let total = 0;
    for (const c of table.values()) total += c;
    // One extra vocabulary slot stands for every n-gram none of the samples contain.
    const denominator = total + smoothing * (vocabulary.size + 1);
    const probabilities: Record<string, number> = {};
    for (const [gram, c] of table) probabilities[gram] = Math.log((c + smoothing) / denominator);
    logProbabilities[language] = probabilities;
    unseenLogProbability[language] = Math.log(smoothing / denominator);
  }
  const stopWordLists: Record<string, string[]> = {};
  for (const language of languages) stopWordLists[language] = [...(stopWords[language] ?? [])];
  return { languages, logProbabilities, unseenLogProbability, stopWords: stopWordLists, stopWordWeight: 1.5 };
}

export function detectLanguage(model: LanguageModel, text: string, options: DetectOptions = {}): LanguageGuess {
  const minLetters = options.minLetters ?? 4;
  const minConfidence = options.minConfidence ?? 0.5;
  const words = languageWords(text);
  const letters = words.reduce((n, w) => n + Array.from(w).length, 0);
  const grams = characterNgrams(words);
  const stopSets = new Map(model.languages.map((l) => [l, new Set(model.stopWords[l] ?? [])]));

  const logScores = model.languages.map((language) => {
    const table = model.logProbabilities[language] ?? {};
    const unseen = model.unseenLogProbability[language] ?? -20;
    let sum = 0;
    for (const gram of grams) sum += table[gram] ?? unseen;
    // Each character sits in up to three overlapping n-grams of each order; dividing keeps the
    // independence assumption from turning a few letters into near-certainty.
    let score = sum / 6;
    const stops = stopSets.get(language) as Set<string>;
    for (const word of words) if (stops.has(word)) score += model.stopWordWeight;
    return score;
  });
  const max = Math.max(...logScores);
  const weights = logScores.map((s) => Math.exp(s - max));
  const total = weights.reduce((a, b) => a + b, 0);
  const ranking = model.languages
    .map((language, k) => ({ language, probability: (weights[k] as number) / total }))
    .sort((a, b) => b.probability - a.probability);
  const best = ranking[0];
  if (best === undefined || letters < minLetters) return { language: 'und', confidence: best?.probability ?? 0, ranking };
  return { language: best.probability >= minConfidence ? best.language : 'und', confidence: best.probability, ranking };
}
