/**
 * The evaluation protocol of Hutto & Gilbert (2014), ICWSM-14, §4 and Table 4: Pearson r of a
 * model's score against the mean human rating, and classification in which a score normalised
 * to [-1, 1] is positive at ≥ 0.05, negative at ≤ -0.05 and neutral otherwise, the human mean
 * (on -4..+4) being divided by 4 and thresholded the same way. `polarClassificationScores` is
 * the averaging that reproduces Table 4; `classificationReport` gives the usual per-class view.
 */
export type SentimentClass = 'negative' | 'neutral' | 'positive';
export const SENTIMENT_CLASSES: readonly SentimentClass[] = ['negative', 'neutral', 'positive'];

/** Class of a score already on [-1, 1]. */
export function polarityClass(score: number, threshold = 0.05): SentimentClass {
  return score >= threshold ? 'positive' : score <= -threshold ? 'negative' : 'neutral';
}

/** Class of a human mean rating on the -4..+4 scale of the VADER ground-truth corpora. */
export function ratingClass(meanRating: number): SentimentClass {
  return polarityClass(meanRating / 4);
}

export function pearsonCorrelation(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n !== ys.length || n < 2) throw new Error('pearsonCorrelation: need two equally long series of at least 2');
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i] as number;
    my += ys[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  perClass: Record<SentimentClass, ClassScores>;
  /** Averages weighted by each class's support ("avg / total" of a classification report). */
  weighted: { precision: number; recall: number; f1: number };
  macro: { precision: number; recall: number; f1: number };
  accuracy: number;
}

/** Per-class and averaged precision, recall and F1 (a class never predicted has precision 0). */
export function classificationReport(truth: readonly SentimentClass[], predicted: readonly SentimentClass[]): ClassificationReport {
  if (truth.length !== predicted.length) throw new Error('classificationReport: length mismatch');
  const n = truth.length;
  const perClass = {} as Record<SentimentClass, ClassScores>;
  const weighted = { precision: 0, recall: 0, f1: 0 };
  const macro = { precision: 0, recall: 0, f1: 0 };
  let correct = 0;
  for (let i = 0; i < n; i++) if (truth[i] === predicted[i]) correct++;
  for (const c of SENTIMENT_CLASSES) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < n; i++) {
      if (predicted[i] === c && truth[i] === c) tp++;
      else if (predicted[i] === c) fp++;
      else if (truth[i] === c) fn++;
    }
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    const support = tp + fn;
    perClass[c] = { precision, recall, f1, support };
    for (const [avg, w] of [[weighted, support / n], [macro, 1 / SENTIMENT_CLASSES.length]] as const) {
      avg.precision += w * precision;
      avg.recall += w * recall;
      avg.f1 += w * f1;
    }
  }
  return { perClass, weighted, macro, accuracy: n === 0 ? 0 : correct / n };
}

/**
 * Precision, recall and F1 as Table 4 reports them: averaged over the positive and negative
 * classes, on the items whose human rating is polar; a neutral prediction there is a miss.
 * (Reproduces the published Amazon 0.78 / 0.55 / 0.63 and tweet 0.99 / 0.94 / 0.96 with the
 * 2014 rules; the README's "3-class" names the thresholds, not the averaging.)
 */
export function polarClassificationScores(truth: readonly SentimentClass[], predicted: readonly SentimentClass[]): { precision: number; recall: number; f1: number; items: number } {
  const keep = truth.map((t, i) => i).filter((i) => truth[i] !== 'neutral');
  const report = classificationReport(keep.map((i) => truth[i] as SentimentClass), keep.map((i) => predicted[i] as SentimentClass));
  const { positive, negative } = report.perClass;
  return {
    precision: (positive.precision + negative.precision) / 2,
    recall: (positive.recall + negative.recall) / 2,
    f1: (positive.f1 + negative.f1) / 2,
    items: keep.length,
  };
}
