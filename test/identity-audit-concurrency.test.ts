import { afterAll, beforeAll, expect, test } from 'vitest';
import { appendAudit, verifyAuditChain } from '../src/platform/security/audit.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ background: false });
}, 60_000);
afterAll(async () => app?.close());

const appendMany = (n: number, label: string) => Promise.all(Array.from({ length: n }, (_, i) => app.database.transaction(async (tx) => {
  await appendAudit(tx, { action: `test.${label}`, actor: null, subjectType: 'test', subjectId: String(i) });
})));

test('concurrent appends, from the very first entry on, make one unbroken chain', async () => {
  // On a fresh database no head exists yet: the first appends race on the advisory lock, later ones on the head row.
  await appendMany(12, 'first');
  await appendMany(24, 'then');
  const report = await verifyAuditChain(app.database.db);
  expect(report).toMatchObject({ ok: true });
  expect(report.entries).toBeGreaterThanOrEqual(36);
  expect(report.head?.seq).toBe(report.entries);
}, 60_000);

test('a rolled-back transaction leaves no entry and no gap', async () => {
  const before = (await verifyAuditChain(app.database.db)).entries;
  await expect(app.database.transaction(async (tx) => {
    await appendAudit(tx, { action: 'test.rolled-back', actor: null, subjectType: 'test', subjectId: 'x' });
    throw new Error('change failed after its audit entry');
  })).rejects.toThrow('change failed');
  await appendMany(1, 'after');
  const report = await verifyAuditChain(app.database.db);
  expect(report).toMatchObject({ ok: true, entries: before + 1 });
});
