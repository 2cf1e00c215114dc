import { test, expect } from 'vitest';
import { findOrderNumbers } from './order-numbers.js';

const values = (text: string) => findOrderNumbers(text).map((o) => o.value);

test('the shop format in the ways customers write it', () => {
  expect(values('Where is #CM-100234?')).toEqual(['CM-100234']);
  expect(values('cm 100234 and CM100235')).toEqual(['CM-100234', 'CM-100235']);
  expect(values('my order 100236 and order #100237 and order no. 100238')).toEqual(['CM-100236', 'CM-100237', 'CM-100238']);
  expect(findOrderNumbers('order #100237')[0]?.text).toBe('#100237');
});

test('bare digits, wrong lengths and glued letters are not order numbers', () => {
  expect(values('call 100238')).toEqual([]);
  expect(values('CM1002345 and XCM100234')).toEqual([]);
  expect(values('order 1002')).toEqual([]);
});

test('the format is configurable', () => {
  expect(findOrderNumbers('ref SH-2024-77 or SH 000077', { prefix: 'SH', digits: 6 }).map((o) => o.value)).toEqual(['SH-000077']);
});
