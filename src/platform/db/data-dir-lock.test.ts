import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.js';

test('a second holder of the same data directory is refused with a clear message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-lock-'));
  const unlock = lockDataDir(dir);
  expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
  expect(() => lockDataDir(dir)).toThrow(/already in use by another CloudMart process \(pid \d+\)/);
  unlock();
  lockDataDir(dir)();
});

test('a lock left by a process that died is taken over', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-lock-'));
  writeFileSync(join(dir, 'cloudmart.lock'), '999999999');
  const unlock = lockDataDir(dir);
  unlock();
});
