/**
 * A trained sentiment model that combines VADER with the shop's own labelled text: multinomial
 * logistic regression (Bishop 2006, PRML §4.3.4) over word and character n-gram TF-IDF plus the
 * VADER scores as extra features. This is the "lexicon scores as features of a supervised
 * learner" combination (e.g. Mohammad, Kiritchenko & Zhu 2013, "NRC-Canada: Building the
 * State-of-the-Art in Sentiment Analysis of Tweets", SemEval): the rules bring negation and
 * intensity knowledge from a general lexicon, the n-grams learn the domain's vocabulary
 * ("returned it", "stopped working") that the lexicon lacks.
 *
 * The score is P(positive) − P(negative) ∈ [-1, 1], so it is read on VADER's compound scale
 * (≥ 0.05 positive) and correlates with a mean human rating; the label is the most probable class.
 */
import { compileTfidf, fitTfidf, type TfidfModel, type TfidfOptions, type TfidfVectorizer } from '../tfidf.js';
import { fitSoftmaxRegression } from '../../linear/softmax-regression.js';
import { featureContributions, linearScores, softmax, argmax, type LinearClassifier } from '../../linear/linear-classifier.js';
import type { SparseVector } from '../../linear/sparse.js';
import { scoreVader, type VaderResult } from './vader.js';
import type { VaderLexicon } from './vader-lexicon.js';
import { SENTIMENT_CLASSES, type SentimentClass } from './sentiment-evaluation.js';

export interface SentimentExample {
  text: string;
  label: SentimentClass;
}

export interface SentimentModelOptions {
  tfidf?: TfidfOptions;
  /** Scale of the VADER feature block relative to the unit-norm TF-IDF vector. Default 1. */
  vaderWeight?: number;
  /** L2 penalty of the logistic regression. Default 1e-4. */
  l2?: number;
  epochs?: number;
  learningRate?: number;
  seed?: number;
}

/** Plain JSON data: `JSON.parse(JSON.stringify(model))` predicts the same. */
export interface SentimentModel {
  tfidf: TfidfModel;
  vaderWeight: number;
  classes: SentimentClass[];
  numFeatures: number;
  /** Feature-major weights, `weights[j * classes.length + k]`. */
  weights: number[];
  bias: number[];
}

export interface SentimentPrediction {
  label: SentimentClass;
  /** P(positive) − P(negative), on VADER's compound scale. */
  score: number;
  probabilities: Record<SentimentClass, number>;
  vader: VaderResult;
  /** Features that pushed hardest toward `label` (n-grams prefixed `w:`/`c:`, or `vader:…`). */
  reasons: { feature: string; contribution: number }[];
}

export interface SentimentPredictor {
  predict(text: string): SentimentPrediction;
}

const VADER_FEATURES = ['vader:compound', 'vader:pos', 'vader:neg', 'vader:neu', 'vader:positive', 'vader:negative'];

function vaderFeatureValues(v: VaderResult): number[] {
  return [v.compound, v.pos, v.neg, v.neu, v.compound >= 0.05 ? 1 : 0, v.compound <= -0.05 ? 1 : 0];
}

function features(vectorizer: TfidfVectorizer, lexicon: VaderLexicon, vaderWeight: number, text: string): { x: SparseVector; vader: VaderResult } {
  const words = vectorizer.vectorize(text);
  const vader = scoreVader(text, lexicon);
  const extra = vaderFeatureValues(vader);
  const D = vectorizer.dimension;
  const indices = new Int32Array(words.indices.length + extra.length);
  const values = new Float32Array(indices.length);
  indices.set(words.indices);
  values.set(words.values);
  extra.forEach((v, k) => {
    indices[words.indices.length + k] = D + k;
    values[words.indices.length + k] = v * vaderWeight;
  });
  return { x: { indices, values }, vader };
}

export function fitSentimentModel(
  examples: readonly SentimentExample[],
  lexicon: VaderLexicon,
  options: SentimentModelOptions = {},
): SentimentModel {
  const vaderWeight = options.vaderWeight ?? 1;
  const tfidf = fitTfidf(examples.map((e) => e.text), options.tfidf ?? { wordNgrams: [1, 2], charNgrams: [2, 5] });
  const vectorizer = compileTfidf(tfidf);
  const inputs = examples.map((e) => features(vectorizer, lexicon, vaderWeight, e.text).x);
  const labels = Int32Array.from(examples, (e) => SENTIMENT_CLASSES.indexOf(e.label));
  const numFeatures = vectorizer.dimension + VADER_FEATURES.length;
  const classifier = fitSoftmaxRegression(inputs, labels, {
    numClasses: SENTIMENT_CLASSES.length,
    numFeatures,
    l2: options.l2 ?? 1e-4,
    epochs: options.epochs ?? 20,
    learningRate: options.learningRate ?? 0.5,
    seed: options.seed ?? 1,
  });
  return {
    tfidf,
    vaderWeight,
    classes: [...SENTIMENT_CLASSES],
    numFeatures,
    weights: Array.from(classifier.weights),
    bias: Array.from(classifier.bias),
  };
}

/** Builds the lookup tables once; `predict` is then cheap enough for every incoming message. */
export function compileSentimentModel(model: SentimentModel, lexicon: VaderLexicon): SentimentPredictor {
  const vectorizer = compileTfidf(model.tfidf);
  const classifier: LinearClassifier = {
    numClasses: model.classes.length,
    numFeatures: model.numFeatures,
    weights: Float32Array.from(model.weights),
    bias: Float32Array.from(model.bias),
  };
  const featureName = (j: number): string =>
    j < vectorizer.dimension ? (model.tfidf.vocabulary[j] as string) : (VADER_FEATURES[j - vectorizer.dimension] ?? `feature:${j}`);
  return {
    predict(text: string): SentimentPrediction {
      const { x, vader } = features(vectorizer, lexicon, model.vaderWeight, text);
      const p = softmax(linearScores(classifier, x));
      const k = argmax(p);
      const probabilities = {} as Record<SentimentClass, number>;
      model.classes.forEach((c, i) => (probabilities[c] = p[i] as number));
      return {
        label: model.classes[k] as SentimentClass,
        score: probabilities.positive - probabilities.negative,
        probabilities,
        vader,
        reasons: featureContributions(classifier, x, k, 5).map((c) => ({ feature: featureName(c.feature), contribution: c.contribution })),
      };
    },
  };
}
