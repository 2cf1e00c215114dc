import type { Random } from '../../intelligence/random.js';

/**
 * The shape of two years of demo demand, as plain numbers: which days orders fall on, who
 * places them, what they buy and how each order ended. Pure and seeded, so the seeder's data
 * and its test agree on what "seasonal" means.
 */

const DAY = 86_400_000;

/** Orders per weekday relative to the mean (Sunday first): weekends sell more, midweek least. */
export const WEEKDAY_FACTOR = [1.3, 0.9, 0.8, 0.85, 0.95, 1.05, 1.35] as const;

/** Share of a day's orders per hour (UTC): quiet at night, a lunch bump and an evening peak. */
const HOURLY = [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1, 1.4, 1.6, 1.7, 1.9, 2.2, 2, 1.8, 1.7, 1.8, 2, 2.4, 2.8, 3, 2.6, 2, 1.4];

/**
 * Yearly demand by date: a summer dip, the November sales weekend and a December peak that
 * falls off after the 23rd (parcels would not arrive for Christmas), then a January lull.
 */
export function yearlyFactor(date: Date): number {
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  if (month === 11) return day <= 23 ? 2.1 : 1.1;
  if (month === 10) return day >= 24 && day <= 30 ? 2.4 : 1.25;
  if (month === 0) return 0.75;
  if (month === 6 || month === 7) return 0.85;
  return 1;
}

/** n order times over the `days` before `end`, drawn in proportion to weekday × season × steady growth. */
export function orderTimes(random: Random, n: number, end: number, days = 730): number[] {
  const start = end - days * DAY;
  const weights: number[] = [];
  for (let d = 0; d < days; d++) {
    const date = new Date(start + d * DAY);
    const growth = 1 + 0.5 * (d / days);
    weights.push((WEEKDAY_FACTOR[date.getUTCDay()] as number) * yearlyFactor(date) * growth);
  }
  const cumulative = prefix(weights);
  const hours = prefix(HOURLY);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = search(cumulative, random.next() * (cumulative.at(-1) as number));
    const h = search(hours, random.next() * (hours.at(-1) as number));
    const dayStart = Math.floor((start + d * DAY) / DAY) * DAY;
    times.push(Math.min(end - 60_000, dayStart + h * 3_600_000 + Math.floor(random.next() * 3_600_000)));
  }
  return times.sort((a, b) => a - b);
}

/** Which customer: a few loyal ones order often (a squared uniform skews to the low indexes); some orders are guests. */
export function pickCustomer(random: Random, customers: number, guestShare = 0.15): number | null {
  if (customers === 0 || random.next() < guestShare) return null;
  const u = random.next();
  return Math.min(customers - 1, Math.floor(customers * u * u));
}

/** A Zipf-like pick among n items: item i weighted 1/(i+1). */
export function zipfPicker(n: number): (random: Random) => number {
  const cumulative = prefix(Array.from({ length: n }, (_, i) => 1 / (i + 1)));
  return (random) => search(cumulative, random.next() * (cumulative.at(-1) as number));
}

export type Outcome = 'delivered' | 'shipped' | 'fulfilled' | 'paid' | 'cancelled';
/** Where a return stands today. */
export type ReturnStage = 'requested' | 'approved' | 'received' | 'refunded' | 'rejected';
/** A delivered order's return: none, settled long ago (refunded or rejected), or recent and 'open' (see openReturnStage). */
export type ReturnFate = 'none' | 'open' | 'refunded' | 'rejected';
export interface OrderFate {
  outcome: Outcome;
  /** Refund after delivery without a return (a complaint): none, part or all of the captured amount. */
  refund: 'none' | 'partial' | 'full';
  returned: ReturnFate;
}

/**
 * The youngest order that can carry a return at each stage: delivery takes up to ~6 days, the
 * request comes up to 4 days later, and approval, the parcel's way back and the refund up to 8
 * more, so every step of a seeded return lies in the past.
 */
const RETURN_MIN_AGE_DAYS = 18;
/** Returns still open (requested, approved, received) are of the last 100 days: older ones were settled. */
const OPEN_RETURN_MAX_AGE_DAYS = 100;
const OPEN_RETURN_STAGES = ['requested', 'approved', 'received', 'refunded'] as const;

/** The k-th recent return's stage: they take the stages in turn, so a demo of any size shows each one. */
export const openReturnStage = (k: number): ReturnStage => OPEN_RETURN_STAGES[k % OPEN_RETURN_STAGES.length] as ReturnStage;

/**
 * How an order placed `ageDays` ago stands today: old orders were delivered (a few refunded,
 * returned or cancelled before shipping), the last fortnight's are still on their way.
 */
export function fateOf(random: Random, ageDays: number): OrderFate {
  const r = random.next();
  if (r < 0.02) return { outcome: 'cancelled', refund: 'none', returned: 'none' };
  let outcome: Outcome = 'delivered';
  if (ageDays < 1.5) outcome = 'paid';
  else if (ageDays < 3) outcome = random.next() < 0.5 ? 'paid' : 'fulfilled';
  else if (ageDays < 7) outcome = random.next() < 0.6 ? 'shipped' : 'delivered';
  if (outcome !== 'delivered') return { outcome, refund: 'none', returned: 'none' };
  const q = random.next();
  if (q < 0.04) return { outcome, refund: 'full', returned: 'none' };
  if (q < 0.07) return { outcome, refund: 'partial', returned: 'none' };
  if (q >= 0.17 || ageDays < RETURN_MIN_AGE_DAYS) return { outcome, refund: 'none', returned: 'none' };
  const returned: ReturnFate = ageDays < OPEN_RETURN_MAX_AGE_DAYS ? 'open' : random.next() < 0.85 ? 'refunded' : 'rejected';
  return { outcome, refund: 'none', returned };
}

/** A promotion the demo history ran: when, and how many of the orders in its window used it. */
export interface Campaign {
  code: string | null;
  title: string;
  kind: 'percentage' | 'fixed';
  value: number;
  minSubtotal: number;
  startsAt: string | null;
  endsAt: string | null;
  /** Share of eligible orders whose shopper typed the code (automatic promotions apply to all). */
  share: number;
}

/**
 * The promotions of the `days` before `end`: a Black Friday weekend and a summer code each
 * year (both with a window, so they are over once the season is), and a standing $5 code.
 */
export function campaigns(end: number, days = 730): Campaign[] {
  const start = end - days * DAY;
  const out: Campaign[] = [{ code: 'SAVE5', title: '$5 off orders over $40', kind: 'fixed', value: 500, minSubtotal: 4000, startsAt: null, endsAt: null, share: 0.05 }];
  for (let year = new Date(start).getUTCFullYear(); year <= new Date(end).getUTCFullYear(); year++) {
    const yy = String(year % 100).padStart(2, '0');
    const windows = [
      { code: null, title: `Black Friday weekend ${year}: 20 % off everything`, value: 2000, from: Date.UTC(year, 10, 24), to: Date.UTC(year, 11, 1), share: 1 },
      { code: `SUMMER${yy}`, title: `Summer ${year}: 15 % off`, value: 1500, from: Date.UTC(year, 6, 1), to: Date.UTC(year, 8, 1), share: 0.25 },
    ];
    for (const w of windows) {
      if (w.to <= start || w.from >= end) continue;
      out.push({ code: w.code, title: w.title, kind: 'percentage', value: w.value, minSubtotal: 0, startsAt: new Date(w.from).toISOString(), endsAt: new Date(w.to).toISOString(), share: w.share });
    }
  }
  return out;
}

/** Whether a campaign was running at `at` (the window is [startsAt, endsAt), as promotions check it). */
export function runningAt(c: { startsAt: string | null; endsAt: string | null }, at: number): boolean {
  return (!c.startsAt || Date.parse(c.startsAt) <= at) && (!c.endsAt || Date.parse(c.endsAt) > at);
}

function prefix(values: readonly number[]): number[] {
  const out: number[] = [];
  let sum = 0;
  for (const v of values) out.push((sum += v));
  return out;
}

/** First index whose cumulative weight exceeds x. */
function search(cumulative: readonly number[], x: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] as number) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
