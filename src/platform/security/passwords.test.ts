import { describe, expect, test } from 'vitest';
import { hashPassword, needsRehash, passwordWeakness, verifyPassword } from './passwords.js';

describe('password policy', () => {
  test.each(['123456789012', '098765432109', 'abcdefghijklm', 'Password1234', '!!qwerty123456', 'letmeinletmein', 'aaaaaaaaaaaaaa', 'short1!'])('%s is refused', (password) => {
    expect(passwordWeakness(password)).not.toBeNull();
  });

  test.each(['correct-llama-stapler-9', 'Tea at 5 in Lyon, please', 'ünïcødé pässwörd 🙂'])('%s is accepted', (password) => {
    expect(passwordWeakness(password)).toBeNull();
  });

  test('length counts characters as the user sees them', () => {
    expect(passwordWeakness('🙂🙂🙂🙂🙂🙂abcde')).toMatch(/at least 12 characters \(this one has 11\)/);
  });
});

describe('argon2id', () => {
  test('hashes with the OWASP parameters and verifies', async () => {
    const hash = await hashPassword('a perfectly fine passphrase');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=12288,t=3,p=1\$/);
    expect(await verifyPassword(hash, 'a perfectly fine passphrase')).toBe(true);
    expect(await verifyPassword(hash, 'a perfectly fine passphrasE')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  test('a hash with older parameters asks for a rehash', async () => {
    const weaker = await hashPassword('a perfectly fine passphrase', { memoryCost: 4096, timeCost: 1, parallelism: 1 });
    expect(needsRehash(weaker)).toBe(true);
    expect(await verifyPassword(weaker, 'a perfectly fine passphrase')).toBe(true);
  });
});
