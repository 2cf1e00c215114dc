import { test, expect } from 'vitest';
import { trainIntentModel, classifyIntent, type LabelledText } from './intent.js';

const phrasings: Record<string, string[]> = {
  track_order: ['where is my order', 'track my parcel', 'when will my package arrive', 'has my order shipped', 'tracking number for my order', 'where is my delivery', 'status of my order', 'is my parcel on the way'],
  return_item: ['I want to return this', 'how do I send an item back', 'return a jacket', 'start a return', 'can I return my shoes', 'return label please', 'send back my order', 'returning a gift'],
  reset_password: ['I forgot my password', 'reset my password', 'cannot log in', 'password reset link', 'locked out of my account', 'change my password', 'login not working', 'new password please'],
};
const examples: LabelledText[] = Object.entries(phrasings).flatMap(([label, texts]) => texts.map((text) => ({ text, label })));
const outOfScope: LabelledText[] = ['what is the weather today', 'tell me a joke', 'who won the football', 'play some music'].map((text) => ({ text, label: 'oos' }));

test('learns intents from a few phrasings and explains with n-grams', () => {
  const model = trainIntentModel(examples, { seed: 2, epochs: 60, validationFraction: 0.25 });
  const p = classifyIntent(model, 'where is my parcel');
  expect(p.intent).toBe('track_order');
  expect(p.confidence).toBeGreaterThan(0);
  expect(p.confidence).toBeLessThanOrEqual(1);
  expect(p.alternatives.map((a) => a.intent).sort()).toEqual(['reset_password', 'return_item']);
  expect(p.evidence.length).toBeGreaterThan(0);
  expect(classifyIntent(model, 'I need to return these trousers').intent).toBe('return_item');
  expect(classifyIntent(model, 'forgot password').intent).toBe('reset_password');
});

test('out-of-scope examples train a class and flag unrelated queries', () => {
  const model = trainIntentModel([...examples, ...outOfScope], { seed: 2, epochs: 60, validation: [...examples.slice(0, 6), ...outOfScope] });
  expect(model.labels).toContain('oos');
  expect(classifyIntent(model, 'tell me a joke about the weather').outOfScope).toBe(true);
  expect(classifyIntent(model, 'track my order').outOfScope).toBe(false);
});

test('reports progress up to 1 and survives a JSON round trip', () => {
  const seen: number[] = [];
  const model = trainIntentModel(examples, { seed: 3, epochs: 10 }, (f) => seen.push(f));
  expect(seen.at(-1)).toBe(1);
  expect(seen.every((f, i) => i === 0 || f >= (seen[i - 1] as number))).toBe(true);
  const back = JSON.parse(JSON.stringify(model));
  expect(classifyIntent(back, 'reset password')).toEqual(classifyIntent(model, 'reset password'));
});

test('is deterministic for a seed', () => {
  const a = trainIntentModel(examples, { seed: 5, epochs: 5 });
  const b = trainIntentModel(examples, { seed: 5, epochs: 5 });
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
});
