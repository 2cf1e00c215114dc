import { expect, test } from 'vitest';
import { isUuid, newId } from './ids.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('ids are UUIDv7: the millisecond first, then random bits that never repeat, across refills of the random pool', () => {
  const at = Date.UTC(2026, 11, 6, 12, 0, 0, 123);
  const ids = Array.from({ length: 5000 }, () => newId(at));
  for (const id of ids) {
    expect(id).toMatch(V7);
    expect(isUuid(id)).toBe(true);
    expect(parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBe(at);
  }
  expect(new Set(ids).size).toBe(ids.length);
  // Every random hex digit takes many values: no byte of the pool is reused or left at zero.
  const digits = ids.map((id) => id.replaceAll('-', '').slice(13));
  for (let i = 0; i < 19; i++) if (i !== 3) expect(new Set(digits.map((d) => d[i])).size).toBeGreaterThan(3);
});

test('later ids sort after earlier ones', () => {
  expect(newId(1_000) < newId(2_000)).toBe(true);
  expect(newId(255) < newId(256)).toBe(true);
});
