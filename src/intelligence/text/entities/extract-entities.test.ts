import { test, expect } from 'vitest';
import { extractEntities } from './extract-entities.js';

test('one support message, every entity once', () => {
  const text = 'Hi, order #CM-100234 (Merino Hoodie) arrived last Friday but I was charged 1.234,56 € twice '
    + 'on card 4111 1111 1111 1111. Reply to jo@example.com';
  const entities = extractEntities(text, { now: new Date('2024-03-15T09:00:00Z'), catalog: [{ id: 'p4', name: 'Merino Hoodie' }] });
  expect(entities.map((e) => e.kind)).toEqual(['order-number', 'product', 'date', 'money', 'card-number', 'email']);
  expect(entities.map((e) => ('value' in e ? e.value : e.kind === 'card-number' ? e.last4 : e.productId))).toEqual([
    'CM-100234', 'p4', '2024-03-08', { amount: 123456, currency: 'EUR' }, '1111', 'jo@example.com',
  ]);
});
