import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { beforeCommit, openDatabase, selectRows, type Database } from './database.js';

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

describe.runIf(process.env.DATABASE_URL)('on a PostgreSQL server', () => {
  let server: Database;
  beforeAll(async () => {
    server = await openDatabase({ databaseUrl: process.env.DATABASE_URL as string, dataDir: 'memory://', poolSize: 1 });
  });
  afterAll(async () => server?.close());
  const prepared = async () => (await selectRows<{ statement: string }>(server.db, sql`select statement from pg_prepared_statements`)).map((r) => r.statement);

  test('statements are prepared once per connection and reused, transaction control is not', async () => {
    const double = (n: number) => selectRows<{ n: number }>(server.db, sql`select ${n}::int * 2 as n`);
    expect(await double(2)).toEqual([{ n: 4 }]);
    expect(await double(5)).toEqual([{ n: 10 }]);
    await server.transaction(async (tx) => selectRows(tx, sql`select 1 as one`));
    const statements = await prepared();
    expect(statements.filter((s) => s === 'select $1::int * 2 as n')).toHaveLength(1);
    expect(statements).toContain('select 1 as one');
    expect(statements.some((s) => /^(begin|commit)/i.test(s))).toBe(false);
    const bulk = sql.join(Array.from({ length: 400 }, (_, i) => sql`select ${i}::int as n`), sql` union all `);
    expect(await selectRows(server.db, bulk)).toHaveLength(400);
    expect((await prepared()).some((s) => s.includes('union all'))).toBe(false);
  });

  test('a statement that fails, or is first sent in an aborted transaction, works once it can', async () => {
    await expect(selectRows(server.db, sql`select no_such_column from pg_class`)).rejects.toThrow(/no_such_column/);
    await expect(server.transaction(async (tx) => {
      await selectRows(tx, sql`select 1 / 0 as boom`).catch(() => {});
      return selectRows(tx, sql`select 'after' as first_sent_aborted`);
    })).rejects.toThrow(/aborted/);
    expect(await selectRows(server.db, sql`select 'after' as first_sent_aborted`)).toEqual([{ first_sent_aborted: 'after' }]);
    expect(await selectRows(server.db, sql`select 1 / 1 as boom`)).toEqual([{ boom: 1 }]);
  });
});

test('beforeCommit work runs at the end of the transaction, inside it, and only for a transaction of Database.transaction()', async () => {
  const order: string[] = [];
  await database.transaction(async (tx) => {
    expect(beforeCommit(tx, async () => {
      order.push('before commit');
      beforeCommit(tx, async () => {
        order.push('added by it');
      });
    })).toBe(true);
    order.push('work');
  });
  expect(order).toEqual(['work', 'before commit', 'added by it']);
  expect(beforeCommit(database.db, async () => {})).toBe(false);

  await database.db.execute(sql`create temporary table if not exists before_commit_probe (n int)`);
  await expect(database.transaction(async (tx) => {
    await tx.execute(sql`insert into before_commit_probe values (1)`);
    beforeCommit(tx, async () => {
      throw new Error('late failure');
    });
  })).rejects.toThrow('late failure');
  expect(await selectRows(database.db, sql`select n from before_commit_probe`)).toEqual([]);
});
