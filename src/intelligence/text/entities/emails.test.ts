import { test, expect } from 'vitest';
import { findEmails } from './emails.js';

test('addresses in a sentence, trailing punctuation left out', () => {
  expect(findEmails('Write to Jane.Doe+shop@Example.CO.uk, or ops@cloudmart.dev.').map((e) => e.value))
    .toEqual(['Jane.Doe+shop@example.co.uk', 'ops@cloudmart.dev']);
});

test('things that are not addresses', () => {
  expect(findEmails('price @ 5 dollars, user@localhost, @handle, a@b.c')).toEqual([]);
});
