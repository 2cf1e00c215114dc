import { expect, test } from 'vitest';
import { assignSegment, fitCustomerSegments } from './customer-segments.js';
import type { CustomerSummary } from './rfm.js';

const DAY = 86_400_000;
const REF = Date.UTC(2024, 0, 31);

test('three planted groups: k = 3 by silhouette, named champions and lost at the extremes', () => {
  const customers: CustomerSummary[] = [];
  for (let i = 0; i < 10; i++) {
    customers.push({ customerId: `best${i}`, lastOrderAt: REF - (1 + (i % 3)) * DAY, orders: 20 + i, revenue: 5000 + 50 * i });
    customers.push({ customerId: `gone${i}`, lastOrderAt: REF - (300 + i) * DAY, orders: 1, revenue: 20 + i });
    customers.push({ customerId: `mid${i}`, lastOrderAt: REF - (60 + i) * DAY, orders: 4 + (i % 2), revenue: 300 + 5 * i });
  }
  const model = fitCustomerSegments(customers, REF, { kRange: [2, 3, 4, 5], seed: 1 });
  expect(model.kmeans.k).toBe(3);
  expect(model.silhouetteByK.find((s) => s.k === 3)!.silhouette).toBeGreaterThan(0.7);
  expect(model.profiles.map((p) => p.size)).toEqual([10, 10, 10]);
  expect(assignSegment(model, customers[0]!).clusterName).toBe('champions');
  const gone = assignSegment(model, customers[1]!);
  expect(gone.clusterName).toBe('lost');
  // At the cluster's edge: 300 days is above only three of the recency quintile breaks
  // (2, 61.6, 67.4, 302.2), so R = 2 and the grid says hibernating, while the cluster's median is R = 1.
  expect(gone.rfmSegment).toBe('hibernating');
  expect(gone.reason).toContain('recency 2/5 (last order 300 days ago)');
  expect(gone.reason).toContain('k-means puts them with 10 customers');
  // The model is plain data.
  expect(JSON.parse(JSON.stringify(model))).toEqual(model);
});
