import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { commitBatch, insertAtCommit } from './commit-batch.js';
import { openDatabase, selectRows, type Database } from './database.js';

let database: Database;
beforeAll(async () => {
  database = await openDatabase({ databaseUrl: null, dataDir: 'memory://', poolSize: 1 });
  await database.db.execute(sql`create table batch_test (n int not null, batch int not null)`);
});
afterAll(async () => database?.close());

let batches = 0;
const numbers = commitBatch(async (tx, items: number[]) => {
  batches++;
  await tx.execute(sql`insert into batch_test (n, batch) select n, ${batches} from unnest(${`{${items.join(',')}}`}::int[]) as n`);
});
const rows = () => selectRows<{ n: number; batch: number }>(database.db, sql`select n, batch from batch_test order by batch, n`);

test('what a transaction adds is written once, at its end, after the work that added it', async () => {
  await database.db.execute(sql`truncate batch_test`);
  batches = 0;
  const seenInside = await database.transaction(async (tx) => {
    await numbers.add(tx, [1, 2]);
    await numbers.add(tx, [3]);
    return (await selectRows<{ c: number }>(tx, sql`select count(*)::int as c from batch_test`))[0]?.c;
  });
  expect(seenInside).toBe(0);
  expect(await rows()).toEqual([{ n: 1, batch: 1 }, { n: 2, batch: 1 }, { n: 3, batch: 1 }]);
});

test('a rolled-back transaction writes nothing; outside a transaction the write is at once; flush writes now', async () => {
  await database.db.execute(sql`truncate batch_test`);
  batches = 0;
  await expect(database.transaction(async (tx) => {
    await numbers.add(tx, [9]);
    throw new Error('the change failed');
  })).rejects.toThrow('the change failed');
  expect(await rows()).toEqual([]);

  await numbers.add(database.db, [4]);
  expect(await rows()).toEqual([{ n: 4, batch: 1 }]);

  await database.transaction(async (tx) => {
    await numbers.add(tx, [5]);
    await numbers.flush(tx);
    expect((await selectRows<{ c: number }>(tx, sql`select count(*)::int as c from batch_test`))[0]?.c).toBe(2);
    await numbers.add(tx, [6]);
  });
  expect(await rows()).toEqual([{ n: 4, batch: 1 }, { n: 5, batch: 2 }, { n: 6, batch: 3 }]);
});

test('batches are written by their order, whatever order they were added in', async () => {
  const order: string[] = [];
  const record = async (_tx: unknown, items: string[]) => {
    order.push(...items);
  };
  const latest = commitBatch(record, { order: 2 });
  const late = commitBatch(record, { order: 1 });
  const early = commitBatch(record);
  await database.transaction(async (tx) => {
    await latest.add(tx, ['third']);
    await late.add(tx, ['second']);
    await early.add(tx, ['first']);
  });
  expect(order).toEqual(['first', 'second', 'third']);
});

test('insertAtCommit: rows of many adds go in at the end, more than one insert holds; with onConflictDoNothing a duplicate is skipped', async () => {
  const table = pgTable('insert_at_commit_test', { id: integer('id').primaryKey(), label: text('label').notNull() });
  await database.db.execute(sql`create table insert_at_commit_test (id int primary key, label text not null)`);
  const later = insertAtCommit(table);
  const count = async (db: Database['db']) => (await selectRows<{ c: number }>(db, sql`select count(*)::int as c from insert_at_commit_test`))[0]?.c;
  const seenInside = await database.transaction(async (tx) => {
    for (let id = 1; id <= 1200; id++) await later.add(tx, [{ id, label: `row ${id}` }]);
    return count(tx);
  });
  expect(seenInside).toBe(0);
  expect(await count(database.db)).toBe(1200);

  await expect(database.transaction((tx) => later.add(tx, [{ id: 1, label: 'again' }]))).rejects.toThrow();
  const skipping = insertAtCommit(table, { onConflictDoNothing: true });
  await database.transaction((tx) => skipping.add(tx, [{ id: 1, label: 'again' }, { id: 1201, label: 'new' }]));
  expect(await count(database.db)).toBe(1201);
  expect((await selectRows<{ label: string }>(database.db, sql`select label from insert_at_commit_test where id = 1`))[0]?.label).toBe('row 1');
});
