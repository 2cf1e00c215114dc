import { randomFillSync } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562 §5.7): 48-bit millisecond timestamp then 74 random bits, so ids sort by
 * creation time (good B-tree locality) and cannot be guessed.
 */
export function newId(now: number = Date.now()): string {
  const bytes = new Uint8Array(16);
  randomFillSync(bytes, 6);
  let ms = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);
