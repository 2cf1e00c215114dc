import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { lockDataDir } from './data-dir-lock.js';

/** One query type for both drivers; a transaction is the same type, so services take either. */
export type Db = PgDatabase<PgQueryResultHKT>;
export type Tx = Db;

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** Runs work in one transaction; listeners registered with onCommit fire after it commits. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** The listener gets the committed transaction, to ask what it wrote (events/outbox.ts: publishedIn). */
  onCommit(listener: (tx: Tx) => void): () => void;
  /**
   * Runs `then` once this transaction (one of `transaction`'s, still open) has committed; never
   * when it rolls back. For work that must wait for the data to be visible and must not hold the
   * transaction open: a processor call, waking a worker. `then` runs synchronously and must not throw.
   */
  afterCommit(tx: Tx, then: () => void): void;
  ping(): Promise<void>;
  poolStats(): PoolStats | null;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… to use a server; otherwise embedded PGlite. */
  databaseUrl: string | null;
  /** Directory of the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  poolSize: number;
}

export const isInMemory = (dataDir: string): boolean => dataDir === 'memory://';

// Per open transaction of Database.transaction(): the work to run at its end, before it
// commits (beforeCommit), and what waits for the commit (afterCommit).
interface Hooks {
  beforeCommit: { work: () => Promise<void>; order: number }[];
  afterCommit: (() => void)[];
}
const openTransactions = new WeakMap<Tx, Hooks>();

/**
 * Runs `work` as the last statements of this transaction (one of `transaction`'s, still open),
 * after the caller's work and before the commit; a failure rolls it back like any other. For
 * writes that batch better at the end (the outbox's events, one insert for all; see
 * commit-batch.ts). They run by ascending `order` (0 unless given), then as registered. A write
 * that locks a row every transaction queues on goes late, so that the lock is held for little
 * more than the commit; such writes get distinct orders, which is also one fixed lock order, so
 * two transactions cannot deadlock on them. Returns false, running nothing, for anything else
 * (the pool, a savepoint), so the caller writes at once.
 */
export function beforeCommit(tx: Tx, work: () => Promise<void>, options: { order?: number } = {}): boolean {
  const hooks = openTransactions.get(tx);
  hooks?.beforeCommit.push({ work, order: options.order ?? 0 });
  return hooks !== undefined;
}

/** The end work in the order it runs; work run meanwhile may register more, which takes its place in that order. */
async function runBeforeCommit(hooks: Hooks): Promise<void> {
  const waiting = hooks.beforeCommit;
  while (waiting.length > 0) {
    // The first of the lowest order: registration order among equals.
    let next = 0;
    for (let i = 1; i < waiting.length; i++) if ((waiting[i]?.order ?? 0) < (waiting[next]?.order ?? 0)) next = i;
    const [hook] = waiting.splice(next, 1);
    await hook?.work();
  }
}

function wrap(kind: Database['kind'], db: Db, extra: { ping: () => Promise<void>; poolStats: () => PoolStats | null; close: () => Promise<void> }): Database {
  const commits = new EventEmitter();
  commits.setMaxListeners(100);
  return {
    kind,
    db,
    async transaction(work) {
      let opened: Tx | null = null;
      const hooks: Hooks = { beforeCommit: [], afterCommit: [] };
      let result;
      try {
        result = await db.transaction(async (tx) => {
          opened = tx;
          openTransactions.set(tx, hooks);
          const value = await work(tx);
          await runBeforeCommit(hooks);
          return value;
        });
      } finally {
        if (opened) openTransactions.delete(opened);
      }
      commits.emit('commit', opened);
      for (const run of hooks.afterCommit) run();
      return result;
    },
    onCommit(listener) {
      commits.on('commit', listener);
      return () => commits.off('commit', listener);
    },
    afterCommit(tx, then) {
      const hooks = openTransactions.get(tx);
      if (!hooks) throw new Error('afterCommit needs an open transaction of Database.transaction()');
      hooks.afterCommit.push(then);
    },
    ...extra,
  };
}

// Statement text → its prepared-statement name. The texts are the app's own (drizzle builds a
// few hundred shapes); the cap keeps a query of endless shapes from growing the map unbounded.
const statementNames = new Map<string, string>();
const maxNamedStatements = 2000;
// Bulk statements (a seeder's 500-row insert) are long and rare: kept prepared, their plans
// would only weigh on every server connection's memory.
const maxNamedLength = 3000;
const plannable = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * The query config with a name derived from its text, so each connection parses the statement
 * once and keeps it (a named prepared statement; PostgreSQL's plan cache decides per execution
 * whether the generic plan will do) instead of parsing and planning at every call. pgbench's
 * select-only load on this machine: 24,600 statements/s unnamed, 46,800 prepared. Transaction
 * control and DDL stay unnamed: nothing to plan, and DDL must not outlive a migration.
 */
function named(config: unknown): unknown {
  if (typeof config !== 'object' || config === null || !('text' in config) || ('name' in config && config.name)) return config;
  const text = (config as { text: unknown }).text;
  if (typeof text !== 'string') return config;
  // Known texts (nearly every call) skip the checks below.
  let name = statementNames.get(text);
  if (!name) {
    if (text.length > maxNamedLength || !plannable.test(text) || statementNames.size >= maxNamedStatements) return config;
    name = `cm${statementNames.size.toString(36)}`;
    statementNames.set(text, name);
  }
  return { ...config, name };
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize });
    // An idle client that errors (server restart) must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (config: unknown, ...rest: unknown[]) => unknown;
      (client as unknown as { query: typeof query }).query = (config, ...rest) => query(named(config), ...rest);
    });
    const db = drizzlePostgres({ client: pool }) as unknown as Db;
    return wrap('postgres', db, {
      ping: async () => {
        await pool.query('select 1');
      },
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: () => pool.end(),
    });
  }
  const memory = isInMemory(options.dataDir);
  const unlock = memory ? () => {} : lockDataDir(options.dataDir);
  try {
    const client = memory ? new PGlite() : new PGlite(join(options.dataDir, 'pglite'));
    await client.waitReady;
    const db = drizzlePglite({ client }) as unknown as Db;
    return wrap('pglite', db, {
      ping: async () => {
        await db.execute(sql`select 1`);
      },
      poolStats: () => null,
      close: async () => {
        await client.close();
        unlock();
      },
    });
  } catch (error) {
    unlock();
    throw error;
  }
}

/** Rows of a raw SQL query; both drivers answer with `{ rows }`, which the shared type cannot see. */
export async function selectRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
