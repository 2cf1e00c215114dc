import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openDatabase, type Database } from './database.js';

let database: Database;
beforeAll(async () => {
  database = await openDatabase({ databaseUrl: null, dataDir: 'memory://', poolSize: 1 });
});
afterAll(async () => database.close());

test('afterCommit runs once the transaction has committed, and never for one that rolls back', async () => {
  const ran: string[] = [];
  await database.transaction(async (tx) => {
    await tx.execute(sql`select 1`);
    database.afterCommit(tx, () => ran.push('committed'));
    expect(ran).toEqual([]);
  });
  expect(ran).toEqual(['committed']);

  await expect(database.transaction(async (tx) => {
    database.afterCommit(tx, () => ran.push('rolled back'));
    throw new Error('rollback');
  })).rejects.toThrow('rollback');
  expect(ran).toEqual(['committed']);
});

test('afterCommit outside a transaction is a programming error, not a silent no-op', () => {
  expect(() => database.afterCommit(database.db, () => {})).toThrow(/open transaction/);
});
