import { describe, expect, test } from 'vitest';
import { explainLogistic, fitLogisticRegression, logisticProbability } from './logistic-regression.js';
import { PURCHASE_FEATURE_NAMES, buildPropensityDataset, purchaseFeatures, type CustomerOrder } from './features.js';
import { fitPurchasePropensity, scorePurchasePropensity } from './propensity.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const order = (customerId: string, day: number, amount: number): CustomerOrder => ({ customerId, at: T0 + day * DAY, amount });

describe('L2 logistic regression by Newton', () => {
  const rows = [[0], [0], [0], [0], [1], [1], [1], [1]];
  const labels = [1, 0, 0, 0, 1, 1, 1, 0] as const;
  test('unpenalised fit on one binary feature reproduces the group rates 1/4 and 3/4', () => {
    const model = fitLogisticRegression(rows, labels, { l2: 0 });
    expect(model.converged).toBe(true);
    expect(logisticProbability(model, [0])).toBeCloseTo(0.25, 8);
    expect(logisticProbability(model, [1])).toBeCloseTo(0.75, 8);
    // log-odds per sd: (logit .75 − logit .25) × sd(x) = 2 ln 3 × 0.5
    expect(model.coefficients[0]).toBeCloseTo(Math.log(3), 8);
  });
  test('the ridge shrinks the slope but not the intercept; explanations add up', () => {
    const free = fitLogisticRegression(rows, labels, { l2: 0 });
    const ridge = fitLogisticRegression(rows, labels, { l2: 8, featureNames: ['x'] });
    expect(Math.abs(ridge.coefficients[0]!)).toBeLessThan(Math.abs(free.coefficients[0]!));
    expect(ridge.intercept).toBeCloseTo(0, 8); // balanced classes, centred feature
    const e = explainLogistic(ridge, [1]);
    expect(e.baseline + e.contributions[0]!.contribution).toBeCloseTo(e.logOdds, 12);
    expect(e.contributions[0]!.feature).toBe('x');
  });
});

describe('purchase features at a cutoff', () => {
  test('hand-computed vector, later orders ignored', () => {
    const history = [order('c', 0, 10), order('c', 10, 20), order('c', 30, 30), order('c', 45, 99)];
    const f = purchaseFeatures(history, T0 + 40 * DAY)!;
    const expected = [
      Math.log1p(10), Math.log1p(3), Math.log1p(60), Math.log1p(20), Math.log1p(40),
      Math.log1p(15), Math.log1p(Math.sqrt(50)), Math.log1p(10 / 15),
      Math.log1p(2), Math.log1p(3), Math.log1p(60), 2,
    ];
    expect(f).toHaveLength(PURCHASE_FEATURE_NAMES.length);
    f.forEach((v, j) => expect(v).toBeCloseTo(expected[j]!, 12));
    expect(purchaseFeatures(history, T0)).toBeNull();
  });
  test('dataset labels come only from the horizon after the cutoff', () => {
    const orders = [order('a', 0, 1), order('a', 50, 1), order('b', 0, 1), order('b', 75, 1), order('c', 45, 1)];
    const ds = buildPropensityDataset(orders, T0 + 40 * DAY, 30);
    expect(ds.customerIds).toEqual(['a', 'b']); // c had no order before the cutoff
    expect(ds.labels).toEqual([1, 0]); // b's day-75 order is outside [40, 70)
  });
});

test('both model kinds score a history with top reasons', () => {
  const orders: CustomerOrder[] = [];
  for (let c = 0; c < 40; c++) {
    const loyal = c % 2 === 0;
    for (let k = 0; k < (loyal ? 8 : 1); k++) orders.push(order(`c${c}`, loyal ? 10 * k + (c % 5) : c, 50));
    if (loyal) orders.push(order(`c${c}`, 105, 50));
  }
  const ds = buildPropensityDataset(orders, T0 + 100 * DAY, 30);
  for (const kind of ['logistic', 'gbdt'] as const) {
    const model = fitPurchasePropensity(ds.rows, ds.labels, kind === 'gbdt' ? { kind, trees: 20, minSamplesLeaf: 2 } : { kind });
    const loyal = scorePurchasePropensity(model, orders.filter((o) => o.customerId === 'c0'), T0 + 100 * DAY)!;
    const oneOff = scorePurchasePropensity(model, orders.filter((o) => o.customerId === 'c1'), T0 + 100 * DAY)!;
    expect(loyal.probability).toBeGreaterThan(oneOff.probability);
    expect(loyal.topReasons).toHaveLength(3);
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  }
});
