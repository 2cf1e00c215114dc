/**
 * The word lists and empirically derived constants of VADER.
 * Hutto & Gilbert (2014), "VADER: A Parsimonious Rule-based Model for Sentiment Analysis of
 * Social Media Text", ICWSM-14, section 3.3 (the five heuristics) and Table 2 (their sizes);
 * values as in the MIT-licensed reference implementation (cjhutto/vaderSentiment, v3.3).
 */

/** Mean rating increase a booster/dampener adds to the next sentiment word (paper §3.3, rule 4). */
export const BOOST_INCREMENT = 0.293;
export const BOOST_DECREMENT = -0.293;
/** Mean rating increase for an ALL-CAPS word among non-caps words (rule 3). */
export const CAPS_INCREMENT = 0.733;
/** A negation flips and dampens valence rather than just flipping it (rule: "not great" ≠ "awful"). */
export const NEGATION_SCALAR = -0.74;
/** Normalisation constant approximating the largest expected raw sum. */
export const NORMALISATION_ALPHA = 15;
/** Per exclamation mark, at most four counted (rule 1). */
export const EXCLAMATION_INCREMENT = 0.292;
export const MAX_EXCLAMATIONS = 4;
/** Per question mark when there are two or three; four or more add a flat 0.96. */
export const QUESTION_INCREMENT = 0.18;
export const MANY_QUESTIONS_AMPLIFIER = 0.96;
/** "but" halves what precedes it and amplifies what follows (rule 5). */
export const BEFORE_BUT_WEIGHT = 0.5;
export const AFTER_BUT_WEIGHT = 1.5;

export const NEGATION_WORDS: ReadonlySet<string> = new Set([
  'aint', 'arent', 'cannot', 'cant', 'couldnt', 'darent', 'didnt', 'doesnt',
  "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
  'dont', 'hadnt', 'hasnt', 'havent', 'isnt', 'mightnt', 'mustnt', 'neither',
  "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
  'neednt', "needn't", 'never', 'none', 'nope', 'nor', 'not', 'nothing', 'nowhere',
  'oughtnt', 'shant', 'shouldnt', 'uhuh', 'wasnt', 'werent',
  "oughtn't", "shan't", "shouldn't", 'uh-uh', "wasn't", "weren't",
  'without', 'wont', 'wouldnt', "won't", "wouldn't", 'rarely', 'seldom', 'despite',
]);

const boosters = [
  'absolutely', 'amazingly', 'awfully', 'completely', 'considerable', 'considerably', 'decidedly',
  'deeply', 'effing', 'enormous', 'enormously', 'entirely', 'especially', 'exceptional',
  'exceptionally', 'extreme', 'extremely', 'fabulously', 'flipping', 'flippin', 'frackin', 'fracking',
  'fricking', 'frickin', 'frigging', 'friggin', 'fully', 'fuckin', 'fucking', 'fuggin', 'fugging',
  'greatly', 'hella', 'highly', 'hugely', 'incredible', 'incredibly', 'intensely', 'major', 'majorly',
  'more', 'most', 'particularly', 'purely', 'quite', 'really', 'remarkably', 'so', 'substantially',
  'thoroughly', 'total', 'totally', 'tremendous', 'tremendously', 'uber', 'unbelievably', 'unusually',
  'utter', 'utterly', 'very',
];
const dampeners = [
  'almost', 'barely', 'hardly', 'just enough', 'kind of', 'kinda', 'kindof', 'kind-of', 'less',
  'little', 'marginal', 'marginally', 'occasional', 'occasionally', 'partly', 'scarce', 'scarcely',
  'slight', 'slightly', 'somewhat', 'sort of', 'sorta', 'sortof', 'sort-of',
];

/** Degree adverbs (intensifiers and dampeners) and the increment each one adds. */
export const BOOSTER_WORDS: ReadonlyMap<string, number> = new Map([
  ...boosters.map((w): [string, number] => [w, BOOST_INCREMENT]),
  ...dampeners.map((w): [string, number] => [w, BOOST_DECREMENT]),
]);

/** Idioms containing lexicon words whose meaning overrides the words' own valence. */
export const SPECIAL_CASE_IDIOMS: ReadonlyMap<string, number> = new Map([
  ['the shit', 3], ['the bomb', 3], ['bad ass', 1.5], ['badass', 1.5], ['bus stop', 0.0],
  ['yeah right', -2], ['kiss of death', -1.5], ['to die for', 3],
  ['beating heart', 3.1], ['broken heart', -2.9],
]);

/** True when the word is a negation, including any "n't" contraction. */
export function isNegation(lowercaseWord: string): boolean {
  return NEGATION_WORDS.has(lowercaseWord) || lowercaseWord.includes("n't");
}

/** Python's `str.isupper()`: at least one cased character and every cased character upper-case. */
export function isUpperCaseWord(word: string): boolean {
  let cased = false;
  for (const ch of word) {
    const upper = ch.toUpperCase();
    if (upper === ch.toLowerCase()) continue;
    cased = true;
    if (ch !== upper) return false;
  }
  return cased;
}

/** Increment from a booster/dampener preceding a sentiment word, signed to follow the word's valence. */
export function boosterIncrement(word: string, valence: number, capsDiffer: boolean): number {
  const base = BOOSTER_WORDS.get(word.toLowerCase());
  if (base === undefined) return 0;
  let scalar = valence < 0 ? -base : base;
  if (capsDiffer && isUpperCaseWord(word)) scalar += valence > 0 ? CAPS_INCREMENT : -CAPS_INCREMENT;
  return scalar;
}

/** Maps an unbounded sum of valences into (-1, 1): x / sqrt(x² + α). */
export function normaliseScore(score: number, alpha = NORMALISATION_ALPHA): number {
  const normalised = score / Math.sqrt(score * score + alpha);
  return Math.max(-1, Math.min(1, normalised));
}

/** Amplifier from "!" (up to four) and "??"/"???" (flat beyond three). */
export function punctuationEmphasis(text: string): number {
  const exclamations = Math.min(countChar(text, '!'), MAX_EXCLAMATIONS);
  const questions = countChar(text, '?');
  const questionAmplifier = questions <= 1 ? 0 : questions <= 3 ? questions * QUESTION_INCREMENT : MANY_QUESTIONS_AMPLIFIER;
  return exclamations * EXCLAMATION_INCREMENT + questionAmplifier;
}

function countChar(text: string, ch: string): number {
  let n = 0;
  for (const c of text) if (c === ch) n++;
  return n;
}
