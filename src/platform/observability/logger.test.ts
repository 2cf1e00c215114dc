import { Writable } from 'node:stream';
import { expect, test } from 'vitest';
import { createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  return { logger: createLogger('info', stream), lines };
}

test('secrets are censored and card numbers masked in messages and fields', () => {
  const { logger, lines } = capture();
  logger.info({ password: 'hunter2hunter2', user: { token: 'abc' }, note: 'paid with 4242 4242 4242 4242' }, 'card 4000000000000002 declined');
  const line = lines.join('');
  expect(line).not.toContain('hunter2');
  expect(line).not.toContain('"abc"');
  expect(line).not.toContain('4242 4242 4242 4242');
  expect(line).not.toContain('4000000000000002');
  expect(line).toContain('**** **** **** 0002');
  expect(JSON.parse(line)).toMatchObject({ password: '[redacted]', user: { token: '[redacted]' } });
});
