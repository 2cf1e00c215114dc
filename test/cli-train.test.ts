import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { classifyIntent, type IntentModel } from '../src/intelligence/text/intent.js';
import { compileSentimentModel, parseVaderLexicon, type SentimentModel } from '../src/intelligence/text/sentiment/index.js';
import { gunzipSync } from 'node:zlib';
import { train } from '../src/cli/train.js';

const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'cloudmart-train-'));

function cloudmart(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: root, encoding: 'utf8', env: { ...process.env, DATA_DIR: join(dir, 'data') },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function csv(name: string, header: string, rows: string[][]): string {
  const path = join(dir, name);
  writeFileSync(path, [header, ...rows.map((r) => r.map((c) => `"${c}"`).join(','))].join('\n'));
  return path;
}

const intents: Record<string, string[]> = {
  track_order: ['where is my order', 'track my parcel', 'has my package shipped', 'when will my order arrive', 'status of my delivery', 'my order has not arrived yet'],
  return_item: ['i want to return this', 'how do i send an item back', 'return a jacket', 'can i get a refund for these shoes', 'start a return', 'the dress does not fit, return it'],
  change_password: ['reset my password', 'i forgot my password', 'change my login password', 'cannot log in, password wrong', 'update my password please', 'password reset link'],
};

test('train intent writes a JSON model that loads back and classifies new questions', () => {
  const data = csv('intents.csv', 'question,intent', Object.entries(intents).flatMap(([label, texts]) => texts.map((t) => [t, label])));
  const out = join(dir, 'intent.json');
  const run = cloudmart('train', 'intent', '--data', data, '--text', 'question', '--label', 'intent', '--out', out);
  expect(run.output).toContain('training intent');
  expect(run.output).toMatch(/intent model: 18 examples, 3 labels/);
  expect(run.status).toBe(0);
  const model = JSON.parse(readFileSync(out, 'utf8')) as IntentModel;
  expect(classifyIntent(model, 'where is my parcel').intent).toBe('track_order');
  expect(classifyIntent(model, 'i forgot the password').intent).toBe('change_password');
});

test('train sentiment from star ratings writes a model that reads the mood of a review', () => {
  const good = ['love it, great quality', 'excellent fit and fast delivery', 'really happy with this, wonderful', 'great product, would buy again', 'perfect, amazing colour'];
  const bad = ['terrible, broke after a day', 'awful quality, very disappointed', 'horrible fit, waste of money', 'bad product, never again', 'poor stitching and arrived late'];
  const data = csv('reviews.csv', 'review,stars', [...good.map((t) => [t, '5']), ...bad.map((t) => [t, '1']), ['it is ok', '3'], ['fine i guess', '3']]);
  const out = join(dir, 'sentiment.json');
  const run = cloudmart('train', 'sentiment', '--data', data, '--text', 'review', '--stars', 'stars', '--out', out);
  expect(run.output).toMatch(/sentiment model: 12 examples/);
  expect(run.status).toBe(0);
  const lexicon = parseVaderLexicon(gunzipSync(readFileSync(join(root, 'assets/vader_lexicon.txt.gz'))).toString('utf8'));
  const predictor = compileSentimentModel(JSON.parse(readFileSync(out, 'utf8')) as SentimentModel, lexicon);
  expect(predictor.predict('great quality, love it').label).toBe('positive');
  expect(predictor.predict('awful, broke at once').label).toBe('negative');
});

test('bad training input says what to fix and writes nothing; the command exits 2', () => {
  const data = csv('bad.csv', 'text,label', [['where is my order', 'track'], ['reset my password', 'password']]);
  const out = join(dir, 'never.json');
  const cases: [string[], RegExp][] = [
    [[], /needs a model kind, intent or sentiment/],
    [['intent'], /needs --data FILE\.csv/],
    [['intent', '--data', join(dir, 'missing.csv')], /Cannot read .*missing\.csv: ENOENT/],
    [['intent', '--data', data, '--label', 'category', '--out', out], /has no column "category"; its columns are text, label/],
    [['intent', '--data', data, '--colour', 'red'], /Unknown option '--colour'/],
    [['sentiment', '--data', data, '--out', out], /exactly one of --label COL or --stars COL/],
    [['sentiment', '--data', data, '--label', 'label', '--out', out], /row 2: label "track" is not one of negative, neutral, positive/],
    [['sentiment', '--data', data, '--stars', 'label', '--out', out], /row 2: stars "track" is not a whole number from 1 to 5/],
    [['intent', '--data', data, '--seed', '1.5', '--out', out], /--seed must be a whole number/],
  ];
  for (const [args, message] of cases) expect(() => train(args, dir), args.join(' ')).toThrow(message);
  expect(() => readFileSync(out)).toThrow();
  const run = cloudmart('train', 'intent', '--data', data, '--label', 'category');
  expect(run.output).toMatch(/has no column "category"/);
  expect(run.status).toBe(2);
});
