import { randomBytes } from 'node:crypto';
import { asc, sql, type SQL } from 'drizzle-orm';
import { bigint, boolean, integer, jsonb, PgDialect, pgTable, text, timestamp, uuid, type PgInsertValue } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { newId } from '../ids.js';
import { openDatabase, type Database } from './database.js';
import { insertRows, insertRowsReturning } from './set-based.js';

// Two tables alike: rows inserted with insertRows into one and drizzle's values() into the other must read back the same.
const columns = {
  id: uuid('id').primaryKey(),
  kind: text('kind', { enum: ['a', 'b'] }).notNull(),
  note: text('note').notNull().default('none'),
  data: jsonb('data').$type<unknown>(),
  amount: bigint('amount', { mode: 'number' }).notNull().default(0),
  count: integer('count'),
  flag: boolean('flag').notNull().default(false),
  tags: text('tags').array(),
  at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  seen: timestamp('seen', { withTimezone: true, mode: 'date' }),
};
// Tables of their own per run: the PostgreSQL database is shared with other test files.
const run = randomBytes(4).toString('hex');
const viaRows = pgTable(`rows_insert_${run}`, columns);
const viaValues = pgTable(`values_insert_${run}`, columns);
const ddl = (table: typeof viaRows | typeof viaValues) => sql`create table ${table} (id uuid primary key, kind text not null, note text not null default 'none', data jsonb,
  amount bigint not null default 0, count int, flag boolean not null default false, tags text[], at timestamptz not null default now(), seen timestamptz)`;

function suite(open: () => Promise<Database>, kind: string) {
  let database: Database;
  beforeAll(async () => {
    database = await open();
    await database.db.execute(ddl(viaRows));
    await database.db.execute(ddl(viaValues));
  });
  afterAll(async () => {
    await database?.db.execute(sql`drop table if exists ${viaRows}, ${viaValues}`);
    await database?.close();
  });

  const read = async (table: typeof viaRows | typeof viaValues) => (await database.db.select().from(table as typeof viaRows).orderBy(asc(table.id))).map(({ at, ...row }) => ({ ...row, atIsSet: at.length > 0 }));

  test(`${kind}: rows are stored and answered as drizzle values() and returning() do: JSON of every shape, nulls, defaults for what a row leaves out, arrays, dates`, async () => {
    const rows: PgInsertValue<typeof viaRows>[] = [
      { id: newId(), kind: 'a', note: 'with "quotes", \\ and ünïcode', data: { nested: [1, 'two', null], n: 1.5 }, amount: 9_007_199_254_740_991, count: 3, flag: true, tags: ['x', 'y,z'], seen: new Date('2026-12-07T08:00:00.123Z') },
      { id: newId(), kind: 'b', note: 'json string and null', data: 'just a string', amount: -5, count: null, flag: false, tags: [], seen: null },
    ];
    // Fewer columns: the rest take their defaults. Then an SQL expression for a value: through values().
    const fewer: PgInsertValue<typeof viaRows>[] = [{ id: newId(), kind: 'a' }, { id: newId(), kind: 'b' }];
    const mixed: PgInsertValue<typeof viaRows>[] = [{ id: newId(), kind: 'b', data: null, at: '2026-01-02T03:04:05.000Z' }, { id: newId(), kind: 'a', note: sql`'made' || 'by sql'` }];
    await database.transaction(async (tx) => {
      for (const batch of [rows, fewer, mixed]) {
        const answered = await insertRowsReturning(tx, viaRows, batch);
        expect(answered).toEqual(await tx.insert(viaValues).values(batch).returning());
      }
    });
    const inserted = await read(viaRows);
    expect(inserted).toEqual(await read(viaValues));
    expect(inserted).toHaveLength(6);
    expect(inserted.find((r) => r.id === rows[0]!.id)).toMatchObject({ data: { nested: [1, 'two', null], n: 1.5 }, amount: 9_007_199_254_740_991, tags: ['x', 'y,z'] });
    expect(inserted.find((r) => r.id === fewer[0]!.id)).toMatchObject({ note: 'none', amount: 0, flag: false, data: null, tags: null });
    expect(inserted.find((r) => r.id === mixed[1]!.id)).toMatchObject({ note: 'madeby sql' });
  });

  test(`${kind}: one statement text for any number of rows; a conflict is skipped when asked, an error otherwise, and nothing is half-written`, async () => {
    const dialect = new PgDialect();
    const execute = vi.spyOn(database.db, 'execute');
    const make = (n: number) => Array.from({ length: n }, () => ({ id: newId(), kind: 'a' as const, count: n }));
    await insertRows(database.db, viaRows, make(1));
    await insertRows(database.db, viaRows, make(7));
    const statements = execute.mock.calls.map(([query]) => dialect.sqlToQuery(query as SQL).sql);
    execute.mockRestore();
    expect(statements).toHaveLength(2);
    expect(statements[0]).toContain('jsonb_to_recordset');
    expect(statements[0]).toBe(statements[1]);

    const [taken] = make(1);
    await insertRows(database.db, viaRows, [taken!]);
    const fresh = make(2);
    await insertRows(database.db, viaRows, [taken!, ...fresh], { onConflictDoNothing: true });
    await expect(insertRows(database.db, viaRows, [make(1)[0]!, taken!])).rejects.toThrow();
    const ids = new Set((await database.db.select({ id: viaRows.id }).from(viaRows)).map((r) => r.id));
    expect(fresh.every((r) => ids.has(r.id))).toBe(true);
    expect(ids.size).toBe(6 + 1 + 7 + 1 + 2);
  });
}

describe('on embedded PGlite', () => {
  suite(() => openDatabase({ databaseUrl: null, dataDir: 'memory://', poolSize: 1 }), 'pglite');
});

describe.runIf(process.env.DATABASE_URL)('on a PostgreSQL server', () => {
  suite(() => openDatabase({ databaseUrl: process.env.DATABASE_URL as string, dataDir: 'memory://', poolSize: 1 }), 'postgres');
});
