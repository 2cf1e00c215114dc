import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from './rate-limit.js';

async function behaves(limiter: RateLimiter) {
  expect((await limiter.hit('login:a', 60_000)).count).toBe(1);
  expect((await limiter.hit('login:a', 60_000)).count).toBe(2);
  expect((await limiter.peek('login:a')).count).toBe(2);
  expect((await limiter.peek('login:b')).count).toBe(0);
  const { resetInMs } = await limiter.hit('login:a', 60_000);
  expect(resetInMs).toBeGreaterThan(50_000);
  await limiter.reset('login:a');
  expect((await limiter.peek('login:a')).count).toBe(0);
  await limiter.hit('short', 50);
  await new Promise((r) => setTimeout(r, 120));
  expect((await limiter.hit('short', 50)).count).toBe(1);
}

test('in-process counters', async () => {
  const limiter = new MemoryRateLimiter();
  await behaves(limiter);
  await limiter.close();
});

// Redis shares counters between API replicas; runs where a server answers (REDIS_URL or the local default).
describe.runIf(process.env.REDIS_URL || process.env.CI !== 'true')('Redis counters', () => {
  test('the same behaviour, shared between limiter instances', async () => {
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const prefix = `cloudmart:test:${randomBytes(4).toString('hex')}:`;
    const one = new RedisRateLimiter(url, prefix);
    const two = new RedisRateLimiter(url, prefix);
    try {
      await behaves(one);
      await one.hit('shared', 60_000);
      expect((await two.hit('shared', 60_000)).count).toBe(2);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
