/**
 * `cloudmart train intent|sentiment`: fits a language model of the intelligence core on a CSV
 * file the merchant provides and writes it as JSON, with a progress bar. The core stays pure:
 * reading files, checking columns and writing the model happen here.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { trainIntentModel, classifyIntent, type LabelledText } from '../intelligence/text/intent.js';
import { compileSentimentModel, fitSentimentModel, parseVaderLexicon, type SentimentExample } from '../intelligence/text/sentiment/index.js';
import { seededRandom } from '../intelligence/random.js';
import { SENTIMENT_CLASSES, type SentimentClass } from '../intelligence/text/sentiment/sentiment-evaluation.js';
import { progress } from '../platform/cli/progress.js';

/** Bad input from the person at the terminal: the message says what to fix (exit 2). */
export class TrainUsageError extends Error {}

export const TRAIN_HELP = `Usage:
  cloudmart train intent --data FILE.csv [--validation FILE.csv] [--text COL] [--label COL] [--out FILE] [--seed N]
      columns default to "text" and "label"; the label "oos" marks out-of-scope examples
  cloudmart train sentiment --data FILE.csv [--text COL] (--label COL | --stars COL) [--out FILE] [--seed N]
      --label takes positive|neutral|negative; --stars takes 1-5 (1-2 negative, 3 neutral, 4-5 positive)
CSV files may be gzipped (.gz). The model is written as JSON, by default to DATA_DIR/models/<kind>.json.`;

const VADER_LEXICON = resolve(import.meta.dirname, '../../assets/vader_lexicon.txt.gz');

function readCsv(path: string): Record<string, string>[] {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (error) {
    throw new TrainUsageError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parse((path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (error) {
    throw new TrainUsageError(`${path} is not valid CSV: ${(error as Error).message}`);
  }
}

function column(rows: readonly Record<string, string>[], path: string, name: string): (row: Record<string, string>, line: number) => string {
  const first = rows[0];
  if (!first) throw new TrainUsageError(`${path} has no data rows`);
  if (!(name in first)) throw new TrainUsageError(`${path} has no column "${name}"; its columns are ${Object.keys(first).join(', ')}`);
  return (row, line) => {
    const value = row[name] ?? '';
    if (value === '') throw new TrainUsageError(`${path} row ${line + 2}: column "${name}" is empty`);
    return value;
  };
}

function labelledTexts(path: string, textColumn: string, labelColumn: string): LabelledText[] {
  const rows = readCsv(path);
  const text = column(rows, path, textColumn);
  const label = column(rows, path, labelColumn);
  return rows.map((r, i) => ({ text: text(r, i), label: label(r, i) }));
}

function sentimentExamples(path: string, textColumn: string, labelColumn: string | undefined, starsColumn: string | undefined): SentimentExample[] {
  if ((labelColumn === undefined) === (starsColumn === undefined)) throw new TrainUsageError('train sentiment needs exactly one of --label COL or --stars COL');
  const rows = readCsv(path);
  const text = column(rows, path, textColumn);
  if (labelColumn !== undefined) {
    const label = column(rows, path, labelColumn);
    return rows.map((r, i) => {
      const value = label(r, i).toLowerCase();
      if (!(SENTIMENT_CLASSES as readonly string[]).includes(value)) throw new TrainUsageError(`${path} row ${i + 2}: label "${value}" is not one of ${SENTIMENT_CLASSES.join(', ')}`);
      return { text: text(r, i), label: value as SentimentClass };
    });
  }
  const stars = column(rows, path, starsColumn as string);
  return rows.map((r, i) => {
    const value = Number(stars(r, i));
    if (!Number.isInteger(value) || value < 1 || value > 5) throw new TrainUsageError(`${path} row ${i + 2}: stars "${stars(r, i)}" is not a whole number from 1 to 5`);
    return { text: text(r, i), label: value <= 2 ? 'negative' : value === 3 ? 'neutral' : 'positive' };
  });
}

function requireDistinctLabels(count: number, what: string): void {
  if (count < 2) throw new TrainUsageError(`${what} needs examples of at least two labels; found ${count}`);
}

function writeModel(out: string, model: unknown): number {
  mkdirSync(dirname(out), { recursive: true });
  const json = JSON.stringify(model);
  writeFileSync(out, json);
  return json.length;
}

/** Runs `train <kind> …`; returns what it wrote. */
export function train(args: readonly string[], dataDir: string): { kind: string; out: string; bytes: number; summary: string } {
  const [kind, ...rest] = args;
  if (kind !== 'intent' && kind !== 'sentiment') throw new TrainUsageError(`train needs a model kind, intent or sentiment.\n\n${TRAIN_HELP}`);
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...rest],
      options: { data: { type: 'string' }, validation: { type: 'string' }, text: { type: 'string' }, label: { type: 'string' }, stars: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' } },
      strict: true,
    }) as { values: Record<string, string | undefined> });
  } catch (error) {
    throw new TrainUsageError(`${(error as Error).message}\n\n${TRAIN_HELP}`);
  }
  if (!values.data) throw new TrainUsageError(`train ${kind} needs --data FILE.csv\n\n${TRAIN_HELP}`);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new TrainUsageError(`--seed must be a whole number ≥ 0, got ${values.seed}`);
  const out = values.out ?? join(dataDir === 'memory://' ? './data' : dataDir, 'models', `${kind}.json`);
  const bar = progress(`training ${kind}`, 100);
  let shown = 0;
  const onProgress = (fraction: number) => {
    const now = Math.min(100, Math.floor(fraction * 100));
    if (now > shown) bar.tick(now - shown);
    shown = Math.max(shown, now);
  };

  if (kind === 'intent') {
    const examples = labelledTexts(values.data, values.text ?? 'text', values.label ?? 'label');
    requireDistinctLabels(new Set(examples.map((e) => e.label)).size, 'train intent');
    const validation = values.validation ? labelledTexts(values.validation, values.text ?? 'text', values.label ?? 'label') : undefined;
    const model = trainIntentModel(examples, { seed, ...(validation ? { validation } : {}) }, onProgress);
    bar.done();
    classifyIntent(model, examples[0]?.text ?? '');
    const v = model.validation;
    const summary = `${examples.length} examples, ${model.labels.length} labels; validation (${v.size}): in-scope accuracy ${v.inScopeAccuracy.toFixed(3)}`
      + `${v.outOfScopeRecall === null ? '' : `, out-of-scope recall ${v.outOfScopeRecall.toFixed(3)}`}, calibration error ${v.expectedCalibrationError.toFixed(3)}`;
    return { kind, out, bytes: writeModel(out, model), summary };
  }

  const examples = sentimentExamples(values.data, values.text ?? 'text', values.label, values.stars);
  requireDistinctLabels(new Set(examples.map((e) => e.label)).size, 'train sentiment');
  const lexicon = parseVaderLexicon(gunzipSync(readFileSync(VADER_LEXICON)).toString('utf8'));
  // Held-out accuracy on a seeded 10 % before the final fit on everything.
  const shuffled = seededRandom(seed).shuffle([...examples]);
  const held = Math.max(1, Math.round(shuffled.length * 0.1));
  const predictor = compileSentimentModel(fitSentimentModel(shuffled.slice(held), lexicon, { seed }), lexicon);
  const heldOut = shuffled.slice(0, held);
  const accuracy = heldOut.filter((e) => predictor.predict(e.text).label === e.label).length / heldOut.length;
  onProgress(0.5);
  const model = fitSentimentModel(examples, lexicon, { seed });
  bar.done();
  return { kind, out, bytes: writeModel(out, model), summary: `${examples.length} examples, ${model.numFeatures} features; held-out accuracy ${accuracy.toFixed(3)} on ${held}` };
}
