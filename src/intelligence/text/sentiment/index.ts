export { parseVaderLexicon } from './vader-lexicon.js';
export type { VaderLexicon } from './vader-lexicon.js';
export { scoreVader, vaderTokens } from './vader.js';
export type { VaderScores, VaderResult, VaderContribution, VaderOptions } from './vader.js';
export { fitSentimentModel, compileSentimentModel } from './sentiment-model.js';
export type { SentimentExample, SentimentModel, SentimentModelOptions, SentimentPrediction, SentimentPredictor } from './sentiment-model.js';
export { classificationReport, pearsonCorrelation, polarClassificationScores, polarityClass, ratingClass, SENTIMENT_CLASSES } from './sentiment-evaluation.js';
export { scoreVaderIcwsm2014, icwsm2014Tokens } from './vader-icwsm2014.js';
export type { SentimentClass, ClassificationReport, ClassScores } from './sentiment-evaluation.js';
