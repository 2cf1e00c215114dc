import { createHmac } from 'node:crypto';
import { expect, test } from 'vitest';
import { signPayload, verifySignature } from './signing.js';
import { tokenizeCard } from './test-provider.js';

const secret = 'whsec_unit';
const body = '{"id":"evt_1","type":"payment.authorized","data":{"ref":"tp_1"}}';

test('signatures follow the documented t=…,v1=HMAC-SHA256("t.body") scheme', () => {
  const t = 1_700_000_000;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  expect(signPayload(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  expect(() => verifySignature(secret, body, `t=${t},v1=${'0'.repeat(64)},v1=${expected}`, 300, t * 1000)).not.toThrow();
});

test('forged, altered, malformed and stale signatures are refused', () => {
  const now = Date.now();
  const good = signPayload(secret, body, Math.floor(now / 1000));
  expect(() => verifySignature(secret, body, good, 300, now)).not.toThrow();
  expect(() => verifySignature('whsec_other', body, good, 300, now)).toThrow(/mismatch/);
  expect(() => verifySignature(secret, body.replace('tp_1', 'tp_2'), good, 300, now)).toThrow(/mismatch/);
  expect(() => verifySignature(secret, body, undefined, 300, now)).toThrow(/missing/);
  expect(() => verifySignature(secret, body, 'v1=abc', 300, now)).toThrow(/malformed/);
  expect(() => verifySignature(secret, body, good, 300, now + 301_000)).toThrow(/stale/);
});

test('tokenising keeps only behaviour, brand and last four; bad cards are refused', () => {
  const t = tokenizeCard({ number: '4000 0000 0000 3220', expMonth: 12, expYear: 2099, cvc: '123' });
  expect(t).toMatchObject({ brand: 'visa', last4: '3220' });
  expect(t.token).toMatch(/^tok_threeds_visa_3220_/);
  expect(t.token).not.toContain('4000000000003220');
  expect(() => tokenizeCard({ number: '4242424242424241', expMonth: 12, expYear: 2099, cvc: '123' })).toThrow(/not valid/);
  expect(() => tokenizeCard({ number: '4242424242424242', expMonth: 1, expYear: 2020, cvc: '123' })).toThrow(/expired/);
});
