import { test, expect } from 'vitest';
import { findDates } from './dates.js';

const friday = new Date('2024-03-15T10:00:00Z'); // a Friday
const values = (text: string, now = friday) => findDates(text, now).map((d) => d.value);

test('"last Friday" said on a Friday is a week ago; "next Friday" is a week ahead', () => {
  expect(values('It came last Friday')).toEqual(['2024-03-08']);
  expect(values('deliver next Friday')).toEqual(['2024-03-22']);
  expect(values('last Tuesday')).toEqual(['2024-03-12']);
  expect(values('on Monday')).toEqual(['2024-03-11']);
  expect(findDates('on Monday', friday, { prefer: 'future' })[0]?.value).toBe('2024-03-18');
});

test('relative days and offsets', () => {
  expect(values('ordered yesterday, shipped today, arrives tomorrow')).toEqual(['2024-03-14', '2024-03-15', '2024-03-16']);
  expect(values('2 weeks ago')).toEqual(['2024-03-01']);
  expect(values('two weeks ago')).toEqual(['2024-03-01']);
  expect(values('in 3 days')).toEqual(['2024-03-18']);
  expect(values('one month ago', new Date('2024-03-31T23:59:00Z'))).toEqual(['2024-02-29']); // clamped, leap year
});

test('month-name dates, with and without a year', () => {
  expect(values('on March 3rd')).toEqual(['2024-03-03']);
  expect(values('March 20')).toEqual(['2023-03-20']); // still ahead this year, so last year's
  expect(values('the 3rd of March 2023')).toEqual(['2023-03-03']);
  expect(values('Dec 25, 2023')).toEqual(['2023-12-25']);
});

test('ISO and numeric dates; impossible dates are dropped', () => {
  expect(values('on 2024-02-29')).toEqual(['2024-02-29']);
  expect(values('on 2023-02-29')).toEqual([]);
  expect(values('05/03/2024')).toEqual(['2024-03-05']);
  expect(findDates('05/03/2024', friday, { numericOrder: 'MDY' })[0]?.value).toBe('2024-05-03');
  expect(values('03/13/2024')).toEqual(['2024-03-13']); // 13 cannot be a month
});

test('UTC: late evening elsewhere is still the UTC day', () => {
  expect(values('yesterday', new Date('2024-03-15T23:30:00-05:00'))).toEqual(['2024-03-15']);
});

test('ordinary words are not weekdays', () => {
  expect(values('the sun is out and I sat there')).toEqual([]);
});
