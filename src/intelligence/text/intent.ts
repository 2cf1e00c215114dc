/**
 * Intent classification with calibrated confidence and out-of-scope detection.
 *
 * Features: word + character n-gram TF-IDF (tfidf.ts). Classifier: multinomial logistic
 * regression (default) or one-vs-rest linear SVM (../linear/). Confidence: softmax of the
 * scores divided by a temperature fitted on a validation split (Guo et al. 2017). Out of
 * scope: following Larson et al. (2019, EMNLP, "An Evaluation Dataset for Intent
 * Classification and Out-of-Scope Prediction", §3.2), training examples labelled
 * `outOfScopeLabel` become an extra class ("oos-train"), and a query is also rejected when
 * its best in-scope calibrated probability falls below a threshold tuned on validation
 * ("oos-threshold"); both are used together.
 *
 * Validation comes from `options.validation` (e.g. CLINC150's official val split) or is
 * carved, stratified and seeded, from the training examples. After temperature and threshold
 * are chosen the model is refitted on training + validation with the same settings.
 */
import { seededRandom } from '../random.js';
import { fitTfidf, compileTfidf, type TfidfOptions, type TfidfModel } from './tfidf.js';
import { fitSoftmaxRegression } from '../linear/softmax-regression.js';
import { fitLinearSvm } from '../linear/linear-svm.js';
import { linearScores, type LinearClassifier } from '../linear/linear-classifier.js';
import { fitTemperature, expectedCalibrationError } from '../linear/temperature-scaling.js';
import { packLinearClassifier, type PackedLinearClassifier } from '../linear/pack.js';
import { chooseOutOfScopeThreshold, type ThresholdObjective } from './oos-threshold.js';
import { classifyScores } from './intent-classify.js';

export { classifyIntent, type IntentPrediction } from './intent-classify.js';

export interface LabelledText {
  text: string;
  label: string;
}

export interface IntentTrainingOptions {
  features?: TfidfOptions;
  classifier?: 'logistic' | 'svm';
  /** Logistic regression: L2 penalty, epochs, initial step. */
  l2?: number;
  epochs?: number;
  learningRate?: number;
  /** SVM: cost C. */
  c?: number;
  seed?: number;
  /** Held-out examples for calibration and the threshold; otherwise carved from training. */
  validation?: readonly LabelledText[];
  /** Share of each intent carved out for validation when `validation` is absent. Default 0.1. */
  validationFraction?: number;
  /** Refit on training + validation once calibrated. Default true. */
  refit?: boolean;
  /** Label of out-of-scope examples. Default "oos". */
  outOfScopeLabel?: string;
  /**
   * How the rejection threshold is chosen when validation holds out-of-scope examples
   * (see oos-threshold.ts); with none, `minConfidence` (default 0) is used as is.
   */
  thresholdObjective?: ThresholdObjective;
  minConfidence?: number;
}

export interface IntentValidationReport {
  size: number;
  /** In-scope accuracy after rejection (a rejected in-scope query counts as wrong). */
  inScopeAccuracy: number;
  /** Share of out-of-scope validation queries rejected; null when there were none. */
  outOfScopeRecall: number | null;
  /** Expected calibration error of the calibrated confidence on in-scope queries. */
  expectedCalibrationError: number;
}

/** Plain JSON data: `JSON.parse(JSON.stringify(model))` classifies identically. */
export interface IntentModel {
  format: 'cloudmart-intent/1';
  /** Class labels in score order; includes `outOfScopeLabel` when it was trained as a class. */
  labels: string[];
  outOfScopeLabel: string;
  features: TfidfModel;
  classifier: PackedLinearClassifier;
  temperature: number;
  /** Reject when the best in-scope calibrated probability is below this. */
  threshold: number;
  validation: IntentValidationReport;
}

function stratifiedSplit(examples: readonly LabelledText[], fraction: number, seed: number): [LabelledText[], LabelledText[]] {
  const byLabel = new Map<string, LabelledText[]>();
  for (const e of examples) byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), e]);
  const random = seededRandom(seed);
  const train: LabelledText[] = [];
  const validation: LabelledText[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const shuffled = random.shuffle(byLabel.get(label) as LabelledText[]);
    const held = shuffled.length >= 2 ? Math.max(1, Math.round(shuffled.length * fraction)) : 0;
    validation.push(...shuffled.slice(0, held));
    train.push(...shuffled.slice(held));
  }
  return [train, validation];
}

function fitOnce(
  examples: readonly LabelledText[],
  labelIndex: ReadonlyMap<string, number>,
  options: IntentTrainingOptions,
  onProgress: (fraction: number) => void,
): { features: TfidfModel; classifier: LinearClassifier; vectorize: (text: string) => ReturnType<ReturnType<typeof compileTfidf>['vectorize']> } {
  const features = fitTfidf(examples.map((e) => e.text), options.features);
  const vectorizer = compileTfidf(features);
  const inputs = examples.map((e) => vectorizer.vectorize(e.text));
  onProgress(0.15);
  const labels = Int32Array.from(examples, (e) => labelIndex.get(e.label) as number);
  const shape = { numClasses: labelIndex.size, numFeatures: vectorizer.dimension, seed: options.seed ?? 1 };
  const progress = (f: number) => onProgress(0.15 + 0.85 * f);
  const classifier = options.classifier === 'svm'
    ? fitLinearSvm(inputs, labels, { ...shape, c: options.c ?? 1 }, progress)
    : fitSoftmaxRegression(inputs, labels, { ...shape, l2: options.l2 ?? 1e-5, epochs: options.epochs ?? 20, learningRate: options.learningRate ?? 1 }, progress);
  return { features, classifier, vectorize: (text) => vectorizer.vectorize(text) };
}

export function trainIntentModel(
  examples: readonly LabelledText[],
  options: IntentTrainingOptions = {},
  onProgress?: (fraction: number) => void,
): IntentModel {
  const oos = options.outOfScopeLabel ?? 'oos';
  const seed = options.seed ?? 1;
  const [train, validation] = options.validation
    ? [examples.slice(), options.validation.slice()]
    : stratifiedSplit(examples, options.validationFraction ?? 0.1, seed);
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (labels.filter((l) => l !== oos).length < 2) throw new Error('trainIntentModel: need at least two in-scope intents');
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const refit = options.refit ?? true;
  const firstShare = refit ? 0.5 : 0.95;

  const first = fitOnce(train, labelIndex, options, (f) => onProgress?.(f * firstShare));
  // An out-of-scope validation query counts even when out-of-scope was not trained as a class.
  const known = validation.filter((e) => labelIndex.has(e.label) || e.label === oos);
  const scores = known.map((e) => linearScores(first.classifier, first.vectorize(e.text)));
  const trainedClass = known.map((e, i) => ({ e, s: scores[i] as Float64Array })).filter(({ e }) => labelIndex.has(e.label));
  const temperature = fitTemperature(trainedClass.map(({ s }) => s), trainedClass.map(({ e }) => labelIndex.get(e.label) as number));

  const outOfScopeIndex = labelIndex.get(oos) ?? -1;
  const verdicts = known.map((e, i) => ({ isOutOfScope: e.label === oos, ...classifyScores(scores[i] as Float64Array, temperature, outOfScopeIndex), label: e.label }));
  const threshold = verdicts.some((v) => v.isOutOfScope)
    ? chooseOutOfScopeThreshold(verdicts.map((v) => ({ isOutOfScope: v.isOutOfScope, confidence: v.confidence, predictedOutOfScope: v.oosClassWins, correct: labels[v.best] === v.label })), options.thresholdObjective)
    : (options.minConfidence ?? 0);
  const inScopeVerdicts = verdicts.filter((v) => !v.isOutOfScope);
  const outVerdicts = verdicts.filter((v) => v.isOutOfScope);
  const accepted = (v: (typeof verdicts)[number]) => !v.oosClassWins && v.confidence >= threshold;
  const report: IntentValidationReport = {
    size: known.length,
    inScopeAccuracy: inScopeVerdicts.filter((v) => accepted(v) && labels[v.best] === v.label).length / Math.max(1, inScopeVerdicts.length),
    outOfScopeRecall: outVerdicts.length ? outVerdicts.filter((v) => !accepted(v)).length / outVerdicts.length : null,
    expectedCalibrationError: expectedCalibrationError(inScopeVerdicts.map((v) => v.confidence), inScopeVerdicts.map((v) => labels[v.best] === v.label)),
  };

  const final = refit ? fitOnce([...train, ...validation.filter((e) => labelIndex.has(e.label))], labelIndex, options, (f) => onProgress?.(0.5 + 0.5 * f)) : first;
  onProgress?.(1);
  return {
    format: 'cloudmart-intent/1',
    labels,
    outOfScopeLabel: oos,
    features: final.features,
    classifier: packLinearClassifier(final.classifier),
    temperature,
    threshold,
    validation: report,
  };
}
