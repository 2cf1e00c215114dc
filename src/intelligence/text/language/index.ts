export { detectLanguage, fitLanguageModel, languageWords, characterNgrams } from './language-detector.js';
export type { LanguageModel, LanguageGuess, DetectOptions } from './language-detector.js';
export { LANGUAGE_SAMPLES, LANGUAGE_STOP_WORDS } from './language-samples.js';
export type { LanguageCode } from './language-samples.js';
