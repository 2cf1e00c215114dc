import { expect, test } from 'vitest';
import { FieldCipher } from './field-crypto.js';

const cipher = new FieldCipher(FieldCipher.parseKey(FieldCipher.generateKey()));

test('round trip, a fresh IV each time', () => {
  const a = cipher.encrypt('JBSWY3DPEHPK3PXP', 'users.mfa:1');
  expect(a).not.toBe(cipher.encrypt('JBSWY3DPEHPK3PXP', 'users.mfa:1'));
  expect(cipher.decrypt(a, 'users.mfa:1')).toBe('JBSWY3DPEHPK3PXP');
});

test('a value moved to another row, or tampered with, does not decrypt', () => {
  const sealed = cipher.encrypt('secret', 'users.mfa:1');
  expect(() => cipher.decrypt(sealed, 'users.mfa:2')).toThrow();
  const parts = sealed.split('.');
  parts[3] = Buffer.from('other').toString('base64url');
  expect(() => cipher.decrypt(parts.join('.'), 'users.mfa:1')).toThrow();
  expect(() => new FieldCipher(FieldCipher.parseKey(FieldCipher.generateKey())).decrypt(sealed, 'users.mfa:1')).toThrow();
});

test('keys are 32 bytes, hex or base64', () => {
  expect(FieldCipher.parseKey('00'.repeat(32))).toHaveLength(32);
  expect(() => FieldCipher.parseKey('too-short')).toThrow(/32 bytes/);
});
