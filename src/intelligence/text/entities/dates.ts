/**
 * Calendar dates in English customer messages, resolved against a given `now` in UTC (the core
 * takes time as input). Covers ISO 8601 dates, numeric day/month/year, "today/yesterday/
 * tomorrow", weekdays ("last Tuesday", "next Friday", "on Monday"), offsets ("2 weeks ago",
 * "in 3 days") and month-name dates ("on March 3rd", "3 March 2024").
 *
 * Conventions, chosen for support conversations, which mostly talk about the past:
 * - "last <weekday>" is the latest such day strictly before today, so "last Friday" said on a
 *   Friday means a week ago; "next <weekday>" is the first one strictly after today.
 * - A bare weekday or a month-name date without a year is the latest one on or before today
 *   (`prefer: 'future'` flips this to the first on or after today).
 * - Months are calendar months, clamped: one month before 31 March is 28/29 February.
 */
import type { EntitySpan } from './entity.js';

export interface DateEntity extends EntitySpan {
  kind: 'date';
  /** ISO calendar date `YYYY-MM-DD` (UTC). */
  value: string;
}

export interface DateOptions {
  prefer?: 'past' | 'future';
  /** How "03/04/2024" is read when both parts are ≤ 12. Default 'DMY'. */
  numericOrder?: 'DMY' | 'MDY';
}

const DAY_MS = 86_400_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const NUMBER_WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, couple: 2, 'a couple of': 2 };

// Full names only: "sun", "sat", "wed" and "mon" are ordinary words too often.
const WEEKDAY = '(monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const COUNT = '(\\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|a couple of)';
const UNIT = '(day|week|month|year)s?';

interface Rule {
  pattern: RegExp;
  resolve(m: RegExpMatchArray, today: Date, options: Required<DateOptions>): Date | null;
}

const utcDay = (y: number, m: number, d: number): Date | null => {
  const date = new Date(Date.UTC(y, m, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m && date.getUTCDate() === d ? date : null;
};
const addDays = (date: Date, days: number): Date => new Date(date.getTime() + days * DAY_MS);
const addMonths = (date: Date, months: number): Date => {
  const total = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(date.getUTCDate(), lastDay)));
};
const weekdayIndex = (word: string): number => WEEKDAYS.findIndex((d) => d.startsWith(word.toLowerCase().slice(0, 3)));
const monthIndex = (word: string): number => MONTHS.findIndex((m) => m.startsWith(word.toLowerCase().slice(0, 3)));
const countOf = (word: string): number => NUMBER_WORDS[word.toLowerCase()] ?? Number(word);

function offset(today: Date, count: number, unit: string): Date {
  const u = unit.toLowerCase();
  if (u === 'day') return addDays(today, count);
  if (u === 'week') return addDays(today, 7 * count);
  return addMonths(today, u === 'month' ? count : 12 * count);
}

/** A month/day without a year: the latest on or before today, or the first on or after. */
function withoutYear(month: number, day: number, today: Date, prefer: 'past' | 'future'): Date | null {
  const y = today.getUTCFullYear();
  const candidates = [y - 1, y, y + 1].map((year) => utcDay(year, month, day)).filter((d): d is Date => d !== null);
  if (prefer === 'past') return candidates.filter((d) => d <= today).pop() ?? null;
  return candidates.find((d) => d >= today) ?? null;
}

const RULES: Rule[] = [
  { pattern: /\b(\d{4})-(\d{2})-(\d{2})\b/g, resolve: (m) => utcDay(Number(m[1]), Number(m[2]) - 1, Number(m[3])) },
  {
    pattern: /\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b/g,
    resolve: (m, _today, o) => {
      const a = Number(m[1]);
      const b = Number(m[2]);
      const dayFirst = a > 12 ? true : b > 12 ? false : o.numericOrder === 'DMY';
      return dayFirst ? utcDay(Number(m[3]), b - 1, a) : utcDay(Number(m[3]), a - 1, b);
    },
  },
  { pattern: /\b(the day before yesterday|the day after tomorrow|yesterday|today|tomorrow)\b/gi,
    resolve: (m, today) => addDays(today, { 'the day before yesterday': -2, yesterday: -1, today: 0, tomorrow: 1, 'the day after tomorrow': 2 }[m[1]?.toLowerCase() ?? 'today'] ?? 0) },
  { pattern: new RegExp(`\\b${COUNT}\\s+${UNIT}\\s+ago\\b`, 'gi'), resolve: (m, today) => offset(today, -countOf(m[1] as string), m[2] as string) },
  { pattern: new RegExp(`\\bin\\s+${COUNT}\\s+${UNIT}\\b`, 'gi'), resolve: (m, today) => offset(today, countOf(m[1] as string), m[2] as string) },
  {
    pattern: new RegExp(`\\b(?:(last|next|this|on)\\s+)?${WEEKDAY}\\b`, 'gi'),
    resolve: (m, today, o) => {
      const target = weekdayIndex(m[2] as string);
      const delta = (target - today.getUTCDay() + 7) % 7; // days forward to the next such day, 0 = today
      const which = (m[1] ?? '').toLowerCase();
      if (which === 'last') return addDays(today, delta === 0 ? -7 : delta - 7);
      if (which === 'next') return addDays(today, delta === 0 ? 7 : delta);
      if (which === 'this') return addDays(today, delta);
      return o.prefer === 'past' ? addDays(today, delta === 0 ? 0 : delta - 7) : addDays(today, delta);
    },
  },
  {
    pattern: new RegExp(`\\b${MONTH}\\s+${DAY}(?:,?\\s+(\\d{4}))?\\b`, 'gi'),
    resolve: (m, today, o) => (m[3] ? utcDay(Number(m[3]), monthIndex(m[1] as string), Number(m[2])) : withoutYear(monthIndex(m[1] as string), Number(m[2]), today, o.prefer)),
  },
  {
    pattern: new RegExp(`\\b(?:the\\s+)?${DAY}(?:\\s+of)?\\s+${MONTH}(?:,?\\s+(\\d{4}))?\\b`, 'gi'),
    resolve: (m, today, o) => (m[3] ? utcDay(Number(m[3]), monthIndex(m[2] as string), Number(m[1])) : withoutYear(monthIndex(m[2] as string), Number(m[1]), today, o.prefer)),
  },
];

export function findDates(text: string, now: Date, options: DateOptions = {}): DateEntity[] {
  const resolved: Required<DateOptions> = { prefer: options.prefer ?? 'past', numericOrder: options.numericOrder ?? 'DMY' };
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const found: DateEntity[] = [];
  for (const rule of RULES) {
    for (const m of text.matchAll(rule.pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      // Earlier rules are more specific; a later match inside an earlier one is part of it.
      if (found.some((f) => start < f.end && f.start < end)) continue;
      const date = rule.resolve(m, today, resolved);
      if (date === null || Number.isNaN(date.getTime())) continue;
      found.push({ kind: 'date', start, end, text: m[0], value: date.toISOString().slice(0, 10) });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
