import { test, expect } from 'vitest';
import { descriptionTokens, fitContentSimilarity, similarByDescription } from './content.js';

test('tokens are lower-case stems without stopwords or numbers', () => {
  expect(descriptionTokens('SET OF 3 RED RETROSPOT CAKE STANDS')).toEqual(['red', 'retrospot', 'cake', 'stand']);
});

test('a new item finds the catalogue items that share its rarer words', () => {
  const model = fitContentSimilarity([
    { itemId: 'new', description: 'RED RETROSPOT CAKE STAND' },
    { itemId: 'mug', description: 'RED RETROSPOT MUG' },
    { itemId: 'bowl', description: 'BLUE POLKADOT BOWL' },
    { itemId: 'towel', description: 'GREEN TEA TOWEL' },
    { itemId: 'stand', description: 'WOODEN CAKE STAND' },
  ]);
  const similar = similarByDescription(model, 'new', 5);
  expect(similar.map((s) => s.itemId).sort()).toEqual(['mug', 'stand']);
  expect(similar[0]?.similarity).toBeGreaterThan(0);
  expect(similar[0]?.similarity).toBeLessThanOrEqual(1);
  expect(similarByDescription(model, 'unknown', 5)).toEqual([]);
});
