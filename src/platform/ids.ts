import { randomFillSync } from 'node:crypto';

// Random bytes are drawn from the CSPRNG a few kilobytes at a time: one call per 409 ids, not per id
// (a checkout makes about twenty ids, and the call, not the randomness, was the cost).
const RANDOM_BYTES_PER_ID = 10;
const pool = Buffer.alloc(RANDOM_BYTES_PER_ID * 409);
let taken = pool.length;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * UUIDv7 (RFC 9562 §5.7): 48-bit millisecond timestamp then 74 random bits, so ids sort by
 * creation time (good B-tree locality) and cannot be guessed.
 */
export function newId(now: number = Date.now()): string {
  if (taken === pool.length) {
    randomFillSync(pool);
    taken = 0;
  }
  const r = taken;
  taken += RANDOM_BYTES_PER_ID;
  const time = Math.floor(now).toString(16).padStart(12, '0');
  const b = (i: number) => HEX[pool[r + i] as number] as string;
  const version = HEX[((pool[r] as number) & 0x0f) | 0x70] as string;
  const variant = HEX[((pool[r + 2] as number) & 0x3f) | 0x80] as string;
  return `${time.slice(0, 8)}-${time.slice(8)}-${version}${b(1)}-${variant}${b(3)}-${b(4)}${b(5)}${b(6)}${b(7)}${b(8)}${b(9)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);
