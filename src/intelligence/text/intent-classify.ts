/**
 * Scoring side of the intent model (training is in intent.ts): calibrated probabilities,
 * the out-of-scope decision and the n-grams that drove the answer. The compiled form of a
 * model (vocabulary map, unpacked weights) is built on first use and cached per model object,
 * so a model parsed from JSON costs one decode and then classifies in microseconds.
 */
import { compileTfidf, type TfidfVectorizer } from './tfidf.js';
import { linearScores, softmax, featureContributions, type LinearClassifier } from '../linear/linear-classifier.js';
import { unpackLinearClassifier } from '../linear/pack.js';
import type { IntentModel } from './intent.js';

export interface IntentAlternative {
  intent: string;
  confidence: number;
}

export interface IntentPrediction {
  /** Best in-scope intent (still reported when the query is judged out of scope). */
  intent: string;
  /** Calibrated probability of `intent`. */
  confidence: number;
  /** True when the out-of-scope class wins or `confidence` is below the model's threshold. */
  outOfScope: boolean;
  /** Next most likely in-scope intents, most likely first. */
  alternatives: IntentAlternative[];
  /** The n-grams that pushed `intent` up most (for explanations and debugging). */
  evidence: string[];
}

interface CompiledIntentModel {
  vectorizer: TfidfVectorizer;
  classifier: LinearClassifier;
  outOfScopeIndex: number;
}

const compiled = new WeakMap<IntentModel, CompiledIntentModel>();

function compile(model: IntentModel): CompiledIntentModel {
  let c = compiled.get(model);
  if (!c) {
    c = {
      vectorizer: compileTfidf(model.features),
      classifier: unpackLinearClassifier(model.classifier),
      outOfScopeIndex: model.labels.indexOf(model.outOfScopeLabel),
    };
    compiled.set(model, c);
  }
  return c;
}

/** Best in-scope class, its calibrated probability, and whether the out-of-scope class won. */
export function classifyScores(scores: ArrayLike<number>, temperature: number, outOfScopeIndex: number): { best: number; confidence: number; oosClassWins: boolean; probabilities: Float64Array } {
  const probabilities = softmax(scores, temperature);
  let best = -1;
  for (let k = 0; k < probabilities.length; k++) {
    if (k === outOfScopeIndex) continue;
    if (best < 0 || (probabilities[k] as number) > (probabilities[best] as number)) best = k;
  }
  const oosClassWins = outOfScopeIndex >= 0 && (probabilities[outOfScopeIndex] as number) > (probabilities[best] as number);
  return { best, confidence: probabilities[best] as number, oosClassWins, probabilities };
}

export function classifyIntent(model: IntentModel, text: string, alternatives = 3): IntentPrediction {
  const { vectorizer, classifier, outOfScopeIndex } = compile(model);
  const x = vectorizer.vectorize(text);
  const { best, confidence, oosClassWins, probabilities } = classifyScores(linearScores(classifier, x), model.temperature, outOfScopeIndex);
  const ranked: IntentAlternative[] = [];
  for (let k = 0; k < probabilities.length; k++) {
    if (k !== best && k !== outOfScopeIndex) ranked.push({ intent: model.labels[k] as string, confidence: probabilities[k] as number });
  }
  ranked.sort((a, b) => b.confidence - a.confidence);
  return {
    intent: model.labels[best] as string,
    confidence,
    outOfScope: oosClassWins || confidence < model.threshold,
    alternatives: ranked.slice(0, alternatives),
    evidence: featureContributions(classifier, x, best, 3)
      .filter((c) => c.contribution > 0)
      .map((c) => (model.features.vocabulary[c.feature] as string).slice(2)),
  };
}
