import { test, expect } from 'vitest';
import fc from 'fast-check';
import { encodeBase64, decodeBase64, packLinearClassifier, unpackLinearClassifier } from './pack.js';

test('base64 matches the standard alphabet and padding', () => {
  expect(encodeBase64(new TextEncoder().encode('Man'))).toBe('TWFu');
  expect(encodeBase64(new TextEncoder().encode('Ma'))).toBe('TWE=');
  expect(encodeBase64(new TextEncoder().encode('M'))).toBe('TQ==');
  expect(Array.from(decodeBase64('TWE='))).toEqual([77, 97]);
});

test('base64 round-trips any bytes', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
    expect(Array.from(decodeBase64(encodeBase64(bytes)))).toEqual(Array.from(bytes));
  }));
});

test('packed weights survive JSON within half a quantisation step', () => {
  const model = {
    numClasses: 3,
    numFeatures: 2,
    weights: Float32Array.from([1.27, -0.5, 0.01, 0, 0, 0]),
    bias: Float32Array.from([0.1, -0.2, 0.3]),
  };
  const back = unpackLinearClassifier(JSON.parse(JSON.stringify(packLinearClassifier(model))));
  expect(back.weights[0]).toBeCloseTo(1.27, 6);
  expect(Math.abs((back.weights[1] as number) + 0.5)).toBeLessThanOrEqual(0.005 + 1e-9);
  expect(Array.from(back.weights.slice(3))).toEqual([0, 0, 0]);
  expect(back.bias[2]).toBeCloseTo(0.3, 6);
});
