import { test, expect } from 'vitest';
import { fitEase, invertSymmetricPositiveDefinite } from './ease.js';
import { buildInteractions, type PurchaseLine } from './interactions.js';

const buy = (customerId: string, itemId: string): PurchaseLine => ({ customerId, itemId, basketId: `${customerId}-1`, at: 0 });

test('inverts a symmetric positive-definite matrix', () => {
  const a = Float64Array.from([4, 2, 0, 2, 3, 1, 0, 1, 2]);
  const inv = invertSymmetricPositiveDefinite(a.slice(), 3);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += (a[i * 3 + k] as number) * (inv[k * 3 + j] as number);
      expect(s).toBeCloseTo(i === j ? 1 : 0, 12);
    }
  }
  expect(() => invertSymmetricPositiveDefinite(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/positive definite/);
});

test('EASE weights follow the closed form B_ij = −P_ij / P_jj', () => {
  // a and b always bought together, c alone: XᵀX + I = [[3,2,0],[2,3,0],[0,0,2]],
  // P_ab = −2/5, P_bb = 3/5, so B_ab = 2/3; nothing links a or b to c.
  const x = buildInteractions([buy('u1', 'a'), buy('u1', 'b'), buy('u2', 'a'), buy('u2', 'b'), buy('u3', 'c')]);
  const model = fitEase(x, { lambda: 1, minBuyers: 1 });
  const a = x.itemIndex.get('a') as number;
  const b = x.itemIndex.get('b') as number;
  expect(model.index[a]).toEqual([b]);
  expect(model.weight[a]?.[0]).toBeCloseTo(2 / 3, 12);
  expect(model.index[x.itemIndex.get('c') as number]).toEqual([]);
  expect(JSON.parse(JSON.stringify(model))).toEqual(model);
});

test('items below minBuyers are left out of the inverse', () => {
  const x = buildInteractions([buy('u1', 'a'), buy('u1', 'b'), buy('u2', 'a'), buy('u2', 'b'), buy('u3', 'a'), buy('u3', 'rare')]);
  const model = fitEase(x, { lambda: 1, minBuyers: 2 });
  expect(model.index[x.itemIndex.get('rare') as number]).toEqual([]);
  expect(model.index[x.itemIndex.get('a') as number]).not.toContain(x.itemIndex.get('rare'));
});
