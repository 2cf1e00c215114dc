import { test, expect } from 'vitest';
import { findMoney, parseWrittenNumber, toMinorUnits } from './money.js';

const values = (text: string) => findMoney(text).map((m) => m.value);

test('decimal comma and decimal point, with thousands grouping either way', () => {
  expect(values('I paid 1.234,56 € for it')).toEqual([{ amount: 123456, currency: 'EUR' }]);
  expect(values('charged $1,234.56')).toEqual([{ amount: 123456, currency: 'USD' }]);
  expect(values('1 234,56 EUR')).toEqual([{ amount: 123456, currency: 'EUR' }]);
  expect(values('cost 12,5€')).toEqual([{ amount: 1250, currency: 'EUR' }]);
  expect(values('£1,234 refund')).toEqual([{ amount: 123400, currency: 'GBP' }]);
});

test('symbols, ISO codes and words, before or after the number', () => {
  expect(values('EUR 45')).toEqual([{ amount: 4500, currency: 'EUR' }]);
  expect(values('99.99 USD')).toEqual([{ amount: 9999, currency: 'USD' }]);
  expect(values('20 dollars and 30 euros and 5 pounds')).toEqual([
    { amount: 2000, currency: 'USD' }, { amount: 3000, currency: 'EUR' }, { amount: 500, currency: 'GBP' },
  ]);
  expect(values('50 cents')).toEqual([{ amount: 50, currency: 'USD' }]);
  expect(values('¥1200')).toEqual([{ amount: 1200, currency: 'JPY' }]); // yen has no minor unit
  expect(findMoney('$5', { dollarCurrency: 'CAD' })[0]?.value).toEqual({ amount: 500, currency: 'CAD' });
});

test('numbers without a currency are not money', () => {
  expect(findMoney('I ordered 3 shirts in size 42')).toEqual([]);
});

test('the span covers number and currency', () => {
  const [m] = findMoney('refund 1.234,56 € please');
  expect(m?.text).toBe('1.234,56 €');
});

test('written numbers split into integer and decimal digits', () => {
  expect(parseWrittenNumber('1.234')).toEqual({ integer: '1234', fraction: '' });
  expect(parseWrittenNumber('1,5')).toEqual({ integer: '1', fraction: '5' });
  expect(parseWrittenNumber("1'234.50")).toEqual({ integer: '1234', fraction: '50' });
  expect(toMinorUnits('0.125', 'USD')).toBe(13);
});
