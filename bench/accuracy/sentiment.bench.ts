/**
 * Sentiment on the VADER ground-truth corpora (Hutto & Gilbert 2014, Table 4).
 *
 * 1. Reproduction: VADER with the 2014 rules the paper measured (`scoreVaderIcwsm2014`) on all
 *    3,708 Amazon snippets — Pearson r against the 20-rater mean and F1 as Table 4 averages it
 *    (`polarClassificationScores`: positive and negative classes, items rated polar, ±0.05
 *    thresholds on the score and on mean/4) — against the published 0.565 and 0.63; the same on
 *    the 4,200 tweets (0.881, 0.96) as a check of the port. The maintained v3 rules
 *    (`scoreVader`, what the app uses) are reported beside them; Table 4 has no figure for them.
 * 2. The trained model (TF-IDF n-grams + VADER features, logistic regression). The README has
 *    no split, so we make a seeded one BY REVIEW (snippets of one review share product words,
 *    so a snippet-level split would leak): 60% train, 20% validation, 20% test, stratified by
 *    each review's majority class. Hyper-parameters are chosen on validation, the model is refit
 *    on train+validation and scored once on test, next to VADER on the same test snippets.
 *    Tweets are not used for training.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { readCsvRecords } from './lib/data.js';
import type { AccuracyBenchmark, AccuracyRow } from './lib/types.js';
import { seededRandom } from '../../src/intelligence/random.js';
import { parseVaderLexicon, type VaderLexicon } from '../../src/intelligence/text/sentiment/vader-lexicon.js';
import { scoreVader, type VaderScores } from '../../src/intelligence/text/sentiment/vader.js';
import { scoreVaderIcwsm2014 } from '../../src/intelligence/text/sentiment/vader-icwsm2014.js';
import {
  classificationReport, pearsonCorrelation, polarClassificationScores, polarityClass, ratingClass, type SentimentClass,
} from '../../src/intelligence/text/sentiment/sentiment-evaluation.js';
import {
  compileSentimentModel, fitSentimentModel, type SentimentModelOptions,
} from '../../src/intelligence/text/sentiment/sentiment-model.js';

interface Snippet {
  review: string;
  rating: number;
  text: string;
}

const BENCHMARK = 'vader_amazon_reviews';
const SEED = 20140601;

function loadSnippets(path: string): Snippet[] {
  return readCsvRecords(path).map((r) => ({
    review: (r.id ?? '').split('_')[0] ?? '',
    rating: Number(r.mean_sentiment),
    text: r.text ?? '',
  }));
}

/** Seeded split of whole reviews, stratified by the review's majority snippet class. */
function splitByReview(snippets: readonly Snippet[]): { train: Snippet[]; validation: Snippet[]; test: Snippet[] } {
  const byReview = new Map<string, Snippet[]>();
  for (const s of snippets) byReview.set(s.review, [...(byReview.get(s.review) ?? []), s]);
  const strata = new Map<SentimentClass, string[]>();
  for (const [review, items] of byReview) {
    const counts = new Map<SentimentClass, number>();
    for (const s of items) counts.set(ratingClass(s.rating), (counts.get(ratingClass(s.rating)) ?? 0) + 1);
    const majority = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? 'neutral';
    strata.set(majority, [...(strata.get(majority) ?? []), review]);
  }
  const random = seededRandom(SEED);
  const part = new Map<string, 'train' | 'validation' | 'test'>();
  for (const key of [...strata.keys()].sort()) {
    const reviews = random.shuffle((strata.get(key) ?? []).sort());
    reviews.forEach((review, i) => {
      const f = i / reviews.length;
      part.set(review, f < 0.6 ? 'train' : f < 0.8 ? 'validation' : 'test');
    });
  }
  const out = { train: [] as Snippet[], validation: [] as Snippet[], test: [] as Snippet[] };
  for (const s of snippets) out[part.get(s.review) ?? 'train'].push(s);
  return out;
}

interface Figures {
  r: number;
  /** Table 4 averaging. */
  f1: number;
  /** Support-weighted three-class F1, for the log. */
  weightedF1: number;
}

function evaluate(scores: readonly number[], labels: readonly SentimentClass[], snippets: readonly Snippet[]): Figures {
  const truth = snippets.map((s) => ratingClass(s.rating));
  return {
    r: pearsonCorrelation(scores, snippets.map((s) => s.rating)),
    f1: polarClassificationScores(truth, labels).f1,
    weightedF1: classificationReport(truth, labels).weighted.f1,
  };
}

type Scorer = (text: string, lexicon: VaderLexicon) => VaderScores;

function vaderOn(snippets: readonly Snippet[], lexicon: VaderLexicon, scorer: Scorer = scoreVader): Figures {
  const scores = snippets.map((s) => scorer(s.text, lexicon).compound);
  return evaluate(scores, scores.map((x) => polarityClass(x)), snippets);
}

const show = (f: Figures): string => `r ${f.r.toFixed(4)}, F1 ${f.f1.toFixed(4)} (weighted 3-class F1 ${f.weightedF1.toFixed(4)})`;

function modelOn(train: readonly Snippet[], evaluation: readonly Snippet[], lexicon: VaderLexicon, options: SentimentModelOptions): Figures {
  const model = fitSentimentModel(train.map((s) => ({ text: s.text, label: ratingClass(s.rating) })), lexicon, options);
  const predictor = compileSentimentModel(model, lexicon);
  const predictions = evaluation.map((s) => predictor.predict(s.text));
  return evaluate(predictions.map((p) => p.score), predictions.map((p) => p.label), evaluation);
}

const run: AccuracyBenchmark = async (ctx) => {
  const dir = join(ctx.datasetsDir, 'vader_amazon_reviews');
  const lexiconPath = resolve(import.meta.dirname, '../../assets/vader_lexicon.txt.gz');
  const lexicon = parseVaderLexicon(gunzipSync(readFileSync(lexiconPath)).toString('utf8'));
  const amazon = loadSnippets(join(dir, 'amazon_review_snippets.csv'));
  const tweets = loadSnippets(join(dir, 'tweets.csv'));

  const paperAmazon = vaderOn(amazon, lexicon, scoreVaderIcwsm2014);
  const paperTweets = vaderOn(tweets, lexicon, scoreVaderIcwsm2014);
  const v3Amazon = vaderOn(amazon, lexicon);
  const v3Tweets = vaderOn(tweets, lexicon);
  ctx.log(`VADER 2014 rules, ${amazon.length} Amazon snippets: ${show(paperAmazon)}; tweets: ${show(paperTweets)}`);
  ctx.log(`VADER v3 rules, Amazon: ${show(v3Amazon)}; tweets: ${show(v3Tweets)}`);

  const { train, validation, test } = splitByReview(amazon);
  ctx.log(`split by review: ${train.length} train / ${validation.length} validation / ${test.length} test snippets`);

  // Small grid, validation only; r and F1 are averaged so neither is traded away.
  const grid: SentimentModelOptions[] = [];
  for (const vaderWeight of [0.5, 1, 2]) for (const l2 of [1e-5, 1e-4]) grid.push({ vaderWeight, l2, epochs: 20, seed: 1 });
  let best = grid[0] as SentimentModelOptions;
  let bestValue = -Infinity;
  for (const options of grid) {
    const m = modelOn(train, validation, lexicon, options);
    ctx.log(`  validation vaderWeight ${options.vaderWeight} l2 ${options.l2}: ${show(m)}`);
    if (m.r + m.f1 > bestValue) {
      bestValue = m.r + m.f1;
      best = options;
    }
  }
  // The baseline is the better VADER on the test reviews, metric by metric.
  const v3Test = vaderOn(test, lexicon);
  const paperTest = vaderOn(test, lexicon, scoreVaderIcwsm2014);
  const vaderTest = { r: Math.max(v3Test.r, paperTest.r), f1: Math.max(v3Test.f1, paperTest.f1) };
  const modelTest = modelOn([...train, ...validation], test, lexicon, best);
  ctx.log(`test (${test.length} snippets): VADER v3 ${show(v3Test)}; VADER 2014 ${show(paperTest)}; model ${show(modelTest)}`);

  const within = (ours: number, reference: number) => Math.abs(ours - reference) <= 0.02;
  const rows: AccuracyRow[] = [
    { benchmark: BENCHMARK, metric: 'VADER (2014 rules) r, Amazon', ours: paperAmazon.r, reference: 0.565, bar: 'within 0.02', pass: within(paperAmazon.r, 0.565) },
    { benchmark: BENCHMARK, metric: 'VADER (2014 rules) F1, Amazon', ours: paperAmazon.f1, reference: 0.63, bar: 'within 0.02', pass: within(paperAmazon.f1, 0.63) },
    { benchmark: BENCHMARK, metric: 'VADER (2014 rules) r, tweets', ours: paperTweets.r, reference: 0.881, bar: 'within 0.02', pass: within(paperTweets.r, 0.881) },
    { benchmark: BENCHMARK, metric: 'VADER (2014 rules) F1, tweets', ours: paperTweets.f1, reference: 0.96, bar: 'within 0.02', pass: within(paperTweets.f1, 0.96) },
    { benchmark: BENCHMARK, metric: 'VADER (v3 rules) r, Amazon', ours: v3Amazon.r, reference: null, bar: 'report (no published figure)', pass: true },
    { benchmark: BENCHMARK, metric: 'VADER (v3 rules) F1, Amazon', ours: v3Amazon.f1, reference: null, bar: 'report (no published figure)', pass: true },
    { benchmark: BENCHMARK, metric: 'trained model r, held-out reviews', ours: modelTest.r, reference: vaderTest.r, bar: 'beats VADER', pass: modelTest.r > vaderTest.r },
    { benchmark: BENCHMARK, metric: 'trained model F1, held-out reviews', ours: modelTest.f1, reference: vaderTest.f1, bar: 'beats VADER', pass: modelTest.f1 > vaderTest.f1 },
  ];
  return rows;
};

export default run;
