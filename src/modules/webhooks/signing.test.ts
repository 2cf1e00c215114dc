import { describe, expect, test } from 'vitest';
import { newWebhookSecret, signature, signedHeaders, verify } from './signing.js';

describe('Standard Webhooks signatures', () => {
  test('match the specification\'s published example', () => {
    // standard-webhooks/standard-webhooks, spec test vector.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(signature(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  test('verify accepts any of several signatures and refuses a changed body, another secret or a stale timestamp', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const now = 1_700_000_000;
    const headers = signedHeaders([current, previous], 'evt_1', now, '{"a":1}');
    expect(verify(current, headers, '{"a":1}', { now })).toBe(true);
    expect(verify(previous, headers, '{"a":1}', { now })).toBe(true);
    expect(verify(current, headers, '{"a":2}', { now })).toBe(false);
    expect(verify(newWebhookSecret(), headers, '{"a":1}', { now })).toBe(false);
    expect(verify(current, headers, '{"a":1}', { now: now + 301 })).toBe(false);
  });
});
