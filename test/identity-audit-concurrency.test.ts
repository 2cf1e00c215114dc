import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { appendAudit, verifyAuditChain } from '../src/platform/security/audit.js';
import { auditLog } from '../src/platform/security/schema.js';
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

test('transactions appending several entries each, concurrently, make one unbroken chain in their order', async () => {
  const before = (await verifyAuditChain(app.database.db)).entries;
  await Promise.all(Array.from({ length: 8 }, (_, t) => app.database.transaction(async (tx) => {
    for (let i = 0; i < 5; i++) await appendAudit(tx, { action: 'test.several', actor: null, subjectType: 'test', subjectId: `${t}.${i}` });
  })));
  const report = await verifyAuditChain(app.database.db);
  expect(report).toMatchObject({ ok: true, entries: before + 40 });
  // Each transaction's entries are consecutive and in the order it appended them.
  const rows = await app.database.db.select().from(auditLog).where(eq(auditLog.action, 'test.several')).orderBy(asc(auditLog.seq));
  for (let k = 0; k < rows.length; k += 5) {
    const [t] = (rows[k]?.subjectId ?? '').split('.');
    expect(rows.slice(k, k + 5).map((r) => r.subjectId)).toEqual([0, 1, 2, 3, 4].map((i) => `${t}.${i}`));
  }
});

test.runIf(process.env.DATABASE_URL)('an open transaction that has appended does not hold up another append until it commits', async () => {
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  const first = app.database.transaction(async (tx) => {
    await appendAudit(tx, { action: 'test.held-open', actor: null, subjectType: 'test', subjectId: 'first' });
    await held; // e.g. a consumer's run still handling its other events
  });
  const second = app.database.transaction((tx) => appendAudit(tx, { action: 'test.held-open', actor: null, subjectType: 'test', subjectId: 'second' }));
  const outcome = await Promise.race([second.then(() => 'committed'), new Promise((r) => setTimeout(() => r('blocked'), 5000))]);
  release();
  await first;
  expect(outcome).toBe('committed');
  const rows = await app.database.db.select().from(auditLog).where(eq(auditLog.action, 'test.held-open')).orderBy(asc(auditLog.seq));
  expect(rows.map((r) => r.subjectId)).toEqual(['second', 'first']);
  expect(await verifyAuditChain(app.database.db)).toMatchObject({ ok: true });
});
