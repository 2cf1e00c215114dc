import { test, expect } from 'vitest';
import { fitOrderHistoryStats, type CheckoutAttempt, type OrderContext } from './order-context.js';
import { amountZScore, countryMismatchSignals, firstOrderHighValueSignal, velocitySignals } from './order-signals.js';
import { assessOrderRisk, fitOrderAnomalyModel, forestSignal, RISK_POINTS } from './order-risk.js';
import { orderFeatureVector } from './order-features.js';
import { seededRandom } from '../random.js';

const HOUR = 3_600_000;
const T = 1_700_000_000_000;

function order(overrides: Partial<OrderContext> = {}): OrderContext {
  return {
    orderId: 'o-1', customerId: 'c-1', ip: '10.0.0.1', cardFingerprint: 'card-a', placedAt: T,
    amountMinor: 5_000, itemCount: 2, billingCountry: 'DE', shippingCountry: 'DE', ipCountry: 'DE',
    previousOrderCount: 4, accountAgeDays: 200, ...overrides,
  };
}

// 40 past orders: 20 at 20.00 and 20 at 80.00 → ln-mean = ln 40, sample sd = ln 2 · √(40/39).
const history = fitOrderHistoryStats([...Array<number>(20).fill(2_000), ...Array<number>(20).fill(8_000)]);

test('history stats: log-scale mean and sd, nearest-rank 90th percentile', () => {
  expect(history.orderCount).toBe(40);
  expect(history.meanLogAmount).toBeCloseTo(Math.log(4_000), 12);
  expect(history.sdLogAmount).toBeCloseTo(Math.log(2) * Math.sqrt(40 / 39), 12);
  expect(history.p90AmountMinor).toBe(8_000);
});

test('amount z-score on the log scale, none without enough history', () => {
  const z = amountZScore(order({ amountMinor: 64_000 }), history);
  expect(z).toBeCloseTo(4 / Math.sqrt(40 / 39), 10); // ln(64000/4000) = 4 ln 2
  expect(amountZScore(order(), fitOrderHistoryStats([1_000, 2_000]))).toBeNull();
});

test('velocity: three attempts in the hour are fine, ten from one card fire fully, old attempts are ignored', () => {
  const attempt = (minutesAgo: number, card = 'card-a'): CheckoutAttempt =>
    ({ at: T - minutesAgo * 60_000, customerId: 'c-9', ip: '10.9.9.9', cardFingerprint: card, succeeded: false });
  expect(velocitySignals(order(), [attempt(1), attempt(2), attempt(3), attempt(90), attempt(120)])).toEqual([]);
  const ten = Array.from({ length: 10 }, (_, i) => attempt(i));
  const signals = velocitySignals(order(), ten);
  expect(signals).toEqual([{ code: 'velocity-card', strength: 1, reason: '10 checkout attempts from this card in the last 60 minutes' }]);
  const halfway = velocitySignals(order(), Array.from({ length: 6 }, (_, i) => attempt(i)));
  expect(halfway[0]?.strength).toBeCloseTo(3 / 7, 12); // (6 − 3) / (10 − 3)
});

test('card testing: five cards from one IP fire the many-cards signal', () => {
  const cards = ['b', 'c', 'd', 'e'].map((card, i): CheckoutAttempt =>
    ({ at: T - i * 60_000, customerId: null, ip: '10.0.0.1', cardFingerprint: card, succeeded: false }));
  const signal = velocitySignals(order(), cards).find((s) => s.code === 'many-cards');
  expect(signal?.strength).toBe(1); // a, b, c, d, e
});

test('country checks: billing ≠ shipping, and an IP outside both', () => {
  expect(countryMismatchSignals(order())).toEqual([]);
  expect(countryMismatchSignals(order({ shippingCountry: 'FR', ipCountry: 'FR' })).map((s) => s.code)).toEqual(['billing-shipping-mismatch']);
  expect(countryMismatchSignals(order({ ipCountry: 'NG' })).map((s) => s.code)).toEqual(['ip-country-mismatch']);
  expect(countryMismatchSignals(order({ ipCountry: null, shippingCountry: null }))).toEqual([]);
});

test('first order at twice the 90th percentile is half strength', () => {
  expect(firstOrderHighValueSignal(order({ previousOrderCount: 0, amountMinor: 16_000 }), history)?.strength).toBeCloseTo(0.5, 12);
  expect(firstOrderHighValueSignal(order({ previousOrderCount: 3, amountMinor: 16_000 }), history)).toBeNull();
});

test('forest score adds nothing at s ≤ 0.6 and its full weight at s ≥ 0.8', () => {
  expect(forestSignal(0.58)).toBeNull();
  expect(forestSignal(0.7)?.strength).toBeCloseTo(0.5, 12);
  expect(forestSignal(0.9, ['ln order total'])?.reason).toContain('ln order total');
});

test('a normal repeat order is low risk with no reasons', () => {
  const result = assessOrderRisk({ order: order(), history, forestScore: 0.4 });
  expect(result).toMatchObject({ score: 0, level: 'low', topReasons: [] });
});

test('points add up: a first order at 3× p90 from a foreign IP with an unusual amount is high risk', () => {
  // amount 24000: ln(24000/4000)/sd = ln 6 / 0.7020 = 2.552 → amount strength 0.276 → 5.5 points
  const risky = order({ previousOrderCount: 0, accountAgeDays: 0, amountMinor: 24_000, ipCountry: 'NG' });
  const result = assessOrderRisk({ order: risky, history, forestScore: 0.8 });
  const z = Math.log(6) / history.sdLogAmount;
  const expected = RISK_POINTS['first-order-high-value'] + RISK_POINTS['ip-country-mismatch'] + RISK_POINTS['new-account'] +
    RISK_POINTS['forest-anomaly'] + RISK_POINTS['amount-unusual'] * ((z - 2) / 2);
  expect(result.uncappedPoints).toBeCloseTo(expected, 10);
  expect(result.score).toBe(Math.round(expected));
  expect(result.level).toBe('high');
  expect(result.topReasons.map((r) => r.code)).toEqual(['forest-anomaly', 'first-order-high-value', 'ip-country-mismatch']);
});

test('the score is capped at 100 but the uncapped points are kept', () => {
  const burst = Array.from({ length: 12 }, (_, i): CheckoutAttempt =>
    ({ at: T - i * 1_000, customerId: 'c-1', ip: '10.0.0.1', cardFingerprint: `card-${i}`, succeeded: false }));
  const result = assessOrderRisk({ order: order(), recentAttempts: burst, history });
  expect(result.score).toBe(100);
  expect(result.uncappedPoints).toBeGreaterThan(100);
});

test('order features: log amount, mismatching countries and recent attempts', () => {
  const features = orderFeatureVector(order({ amountMinor: 1_000, ipCountry: 'US', shippingCountry: 'FR' }), [
    { at: T - HOUR / 2, customerId: 'c-1', ip: null, cardFingerprint: null, succeeded: true },
    { at: T - 2 * HOUR, customerId: 'c-1', ip: null, cardFingerprint: null, succeeded: true },
  ]);
  expect(features).toEqual([Math.log(1_000), 2, Math.log(5), Math.log(201), 2, 1]);
});

test('a fitted order model flags an order unlike the shop history and names what isolates it', () => {
  const random = seededRandom(5);
  const past = Array.from({ length: 300 }, (_, i) => order({
    orderId: `p-${i}`, amountMinor: Math.round(4_000 * Math.exp(0.3 * random.normal())), itemCount: 1 + random.int(3),
    previousOrderCount: random.int(8), accountAgeDays: 100 + random.int(400),
  }));
  const forest = fitOrderAnomalyModel(past, [], 1);
  expect(JSON.parse(JSON.stringify(forest))).toEqual(forest);
  const usual = assessOrderRisk({ order: order({ amountMinor: 4_000, previousOrderCount: 3, accountAgeDays: 300 }), history, forest });
  expect(usual.contributions.find((c) => c.code === 'forest-anomaly')).toBeUndefined();
  const odd = assessOrderRisk({ order: order({ amountMinor: 900_000, itemCount: 40, previousOrderCount: 0, accountAgeDays: 0 }), history, forest });
  const forestReason = odd.contributions.find((c) => c.code === 'forest-anomaly');
  expect(forestReason?.points).toBeGreaterThan(5);
  expect(forestReason?.reason).toMatch(/ln order total|item count/);
});
