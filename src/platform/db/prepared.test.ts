import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, selectRows, type Database } from './database.js';
import { prepared, type Placeholders } from './prepared.js';

// A table of its own per run: the PostgreSQL database is shared with other test files.
const things = pgTable(`prepared_test_${randomBytes(4).toString('hex')}`, {
  id: text('id').primaryKey(),
  displayName: text('display_name').notNull(),
  data: jsonb('data').$type<{ n: number }>(),
});

function statements() {
  const built = { count: 0 };
  const insertThing = prepared((db, p: Placeholders<{ id: string; displayName: string; data: { n: number } | null }>) => {
    built.count++;
    return db.insert(things).values({ id: p.id, displayName: p.displayName, data: p.data }).returning();
  });
  const thingById = prepared((db, p: Placeholders<{ id: string }>) => db.select().from(things).where(eq(things.id, p.id)));
  return { built, insertThing, thingById };
}

function suite(open: () => Promise<Database>, kind: string) {
  let database: Database;
  beforeAll(async () => {
    database = await open();
    await database.db.execute(sql`create table ${things} (id text primary key, display_name text not null, data jsonb)`);
  });
  afterAll(async () => {
    await database?.db.execute(sql`drop table if exists ${things}`);
    await database?.close();
  });

  test(`${kind}: values go by name, rows come back mapped, and a null stays SQL NULL even for json`, async () => {
    const { insertThing, thingById } = statements();
    expect(await insertThing(database.db, { id: `${kind}-a`, displayName: 'A', data: { n: 1 } })).toEqual([{ id: `${kind}-a`, displayName: 'A', data: { n: 1 } }]);
    await insertThing(database.db, { id: `${kind}-b`, displayName: 'B', data: null });
    expect(await thingById(database.db, { id: `${kind}-b` })).toEqual([{ id: `${kind}-b`, displayName: 'B', data: null }]);
    const stored = await selectRows<{ id: string; isNull: boolean }>(database.db, sql`select id, data is null as "isNull" from ${things} where id like ${`${kind}-%`} order by id`);
    expect(stored).toEqual([{ id: `${kind}-a`, isNull: false }, { id: `${kind}-b`, isNull: true }]);
  });

  test(`${kind}: inside a transaction the statement runs on the transaction's connection: it sees its writes and rolls back with it`, async () => {
    const { insertThing, thingById } = statements();
    await expect(database.transaction(async (tx) => {
      await insertThing(tx, { id: `${kind}-tx`, displayName: 'T', data: null });
      expect(await thingById(tx, { id: `${kind}-tx` })).toHaveLength(1);
      throw new Error('roll back');
    })).rejects.toThrow('roll back');
    expect(await thingById(database.db, { id: `${kind}-tx` })).toEqual([]);
  });
}

describe('on embedded PGlite', () => {
  suite(() => openDatabase({ databaseUrl: null, dataDir: 'memory://', poolSize: 1 }), 'pglite');
});

describe.runIf(process.env.DATABASE_URL)('on a PostgreSQL server', () => {
  suite(() => openDatabase({ databaseUrl: process.env.DATABASE_URL as string, dataDir: 'memory://', poolSize: 1 }), 'postgres');

  test('a statement is built once per pooled connection, however many transactions run on it', async () => {
    const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL as string, dataDir: 'memory://', poolSize: 1 });
    try {
      const { built, insertThing } = statements();
      for (let i = 0; i < 3; i++) {
        await database.transaction((tx) => insertThing(tx, { id: `built-${i}`, displayName: String(i), data: { n: i } }));
      }
      expect(built.count).toBe(1);
      await insertThing(database.db, { id: 'built-pool', displayName: 'pool', data: null });
      expect(built.count).toBe(2);
    } finally {
      await database.close();
    }
  });
});
