import { test, expect } from 'vitest';
import { characterNgrams, detectLanguage, fitLanguageModel, languageWords } from './language-detector.js';

const model = fitLanguageModel();

test.each([
  ['en', 'Where is my order? It was supposed to arrive yesterday.'],
  ['en', 'Refund please'],
  ['es', '¿Dónde está mi pedido? Lo compré hace una semana.'],
  ['es', 'Mi paquete llegó roto'],
  ['fr', "Bonjour, je n'ai toujours pas reçu ma commande."],
  ['fr', 'Le colis est arrivé abîmé'],
  ['de', 'Hallo, meine Bestellung ist noch nicht angekommen.'],
  ['de', 'Die Lieferung war zu spät'],
  ['it', 'Ciao, il mio ordine non è ancora arrivato.'],
  ['it', 'La consegna è in ritardo'],
  ['pt', 'Olá, o meu pedido ainda não chegou.'],
  ['nl', 'Hallo, mijn bestelling is nog niet aangekomen.'],
  ['nl', 'De levering is te laat'],
])('a shop message in %s is recognised: %s', (language, text) => {
  const guess = detectLanguage(model, text);
  expect(guess.language).toBe(language);
  expect(guess.confidence).toBeGreaterThan(0.5);
});

test('too little text is undetermined rather than guessed', () => {
  expect(detectLanguage(model, 'ok').language).toBe('und');
  expect(detectLanguage(model, '12345 !!!').language).toBe('und');
  expect(detectLanguage(model, '').language).toBe('und');
});

test('a strict confidence threshold turns a weak guess into und', () => {
  const weak = detectLanguage(model, 'Hola');
  expect(weak.confidence).toBeLessThan(0.99);
  expect(detectLanguage(model, 'Hola', { minConfidence: 0.99 }).language).toBe('und');
});

test('the ranking is a probability distribution over every language, best first', () => {
  const guess = detectLanguage(model, 'Necesito cambiar la talla');
  expect(guess.ranking).toHaveLength(7);
  expect(guess.ranking.reduce((s, r) => s + r.probability, 0)).toBeCloseTo(1, 10);
  expect(guess.ranking[0]?.probability).toBe(guess.confidence);
});

test('words keep accents and apostrophes and drop digits and punctuation', () => {
  expect(languageWords("L'ÉTÉ, 2024: n'est-ce pas?")).toEqual(["l'été", "n'est", 'ce', 'pas']);
  expect(characterNgrams(['ab'])).toEqual(['a', 'b', ' a', 'ab', 'b ', ' ab', 'ab ']);
});

test('the fitted model is plain data that survives JSON', () => {
  const copy = JSON.parse(JSON.stringify(model)) as typeof model;
  expect(detectLanguage(copy, 'Die Lieferung war zu spät')).toEqual(detectLanguage(model, 'Die Lieferung war zu spät'));
});
