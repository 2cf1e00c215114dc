import { expect, test } from 'vitest';
import type { BgNbdModel } from './bg-nbd.js';
import { loadClvModel } from './model-json.js';

const model: BgNbdModel = { kind: 'bg-nbd', r: 0.24, alpha: 4.4, a: 0.79, b: 2.43, logLikelihood: -9582.4, customers: 2357, iterations: 200, converged: true };

test('a stored model loads back unchanged, from text or parsed JSON', () => {
  expect(loadClvModel(JSON.stringify(model))).toEqual(model);
  expect(loadClvModel(JSON.parse(JSON.stringify(model)))).toEqual(model);
});

test('foreign or damaged blobs are refused with the reason', () => {
  expect(() => loadClvModel(null)).toThrow(/object/);
  expect(() => loadClvModel({ ...model, kind: 'mbg-nbd' })).toThrow(/unknown CLV model kind/);
  expect(() => loadClvModel({ ...model, alpha: null })).toThrow(/alpha/);
  expect(() => loadClvModel({ ...model, a: -1 })).toThrow(/positive/);
  expect(() => loadClvModel({ kind: 'gamma-gamma', p: 6, q: 3.7, gamma: 15 })).toThrow(/logLikelihood/);
});
