import { expect, test } from 'vitest';
import { luhnValid, maskCardNumbers } from './card-numbers.js';

test('masks Luhn-valid card numbers however they are grouped, keeping the last four', () => {
  expect(maskCardNumbers('card 4242 4242 4242 4242 ok')).toBe('card **** **** **** 4242 ok');
  expect(maskCardNumbers('4000-0000-0000-0002')).toBe('**** **** **** 0002');
  expect(maskCardNumbers('{"pan":"4000000000009995"}')).toBe('{"pan":"**** **** **** 9995"}');
});

test('leaves numbers alone that are not card numbers', () => {
  expect(luhnValid('4242424242424241')).toBe(false);
  expect(maskCardNumbers('order 4242424242424241')).toBe('order 4242424242424241');
  expect(maskCardNumbers('call +44 20 7946 0958')).toBe('call +44 20 7946 0958');
  expect(maskCardNumbers('id 123456789012')).toBe('id 123456789012');
});
