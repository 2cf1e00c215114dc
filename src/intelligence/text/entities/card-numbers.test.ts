import { test, expect } from 'vitest';
import { findCardNumbers, luhnValid, maskCardNumbers } from './card-numbers.js';

test('Luhn accepts the standard test PANs and rejects a changed last digit', () => {
  expect(luhnValid('4111111111111111')).toBe(true);
  expect(luhnValid('378282246310005')).toBe(true);
  expect(luhnValid('5555555555554444')).toBe(true);
  expect(luhnValid('4111111111111112')).toBe(false);
  expect(luhnValid('79927398713')).toBe(true); // the worked example of ISO/IEC 7812-1
  expect(luhnValid('12a4')).toBe(false);
});

test('grouped with spaces or dashes, or not grouped at all', () => {
  expect(findCardNumbers('card 4111 1111 1111 1111 exp 12/27').map((c) => c.last4)).toEqual(['1111']);
  expect(findCardNumbers('4111-1111-1111-1111')).toHaveLength(1);
  expect(findCardNumbers('amex 378282246310005.')[0]?.digits).toBe('378282246310005');
});

test('Luhn-invalid, too short, phone and order numbers are not cards', () => {
  expect(findCardNumbers('4111 1111 1111 1112')).toEqual([]);
  expect(findCardNumbers('call me on +1 (555) 123-4567')).toEqual([]);
  expect(findCardNumbers('order CM100234, invoice INV4111111111111111')).toEqual([]);
  // 14 digits that pass Luhn on their own…
  const digits = '3012345678901';
  const check = [...'0123456789'].find((d) => luhnValid(digits + d)) as string;
  expect(findCardNumbers(`${digits}${check}`)).toHaveLength(1);
  // …but after an international prefix they are a phone number.
  expect(findCardNumbers(`+49 ${digits}${check}`)).toEqual([]);
});

test('masking keeps the last four digits and the separators', () => {
  expect(maskCardNumbers('my card 4111 1111 1111 1111, order CM-100234')).toBe('my card **** **** **** 1111, order CM-100234');
  expect(maskCardNumbers('378282246310005 and 5555-5555-5555-4444')).toBe('***********0005 and ****-****-****-4444');
  expect(maskCardNumbers('no card here: 4111 1111 1111 1112')).toBe('no card here: 4111 1111 1111 1112');
});
