import { is, Param, Placeholder, sql } from 'drizzle-orm';
import type { Db } from './database.js';

/** Stand-ins for a statement's values, by name: `p.id` is filled with `values.id` at each run. */
export type Placeholders<V> = { readonly [K in keyof V]: Placeholder<K & string, V[K]> };

interface Preparable<R> {
  prepare(name: string): PreparedQuery<R>;
}
interface PreparedQuery<R> {
  execute(values?: Record<string, unknown>): Promise<R>;
  getQuery(): { params: unknown[] };
}

const placeholders = new Proxy({}, { get: (_, name) => sql.placeholder(String(name)) });

/**
 * A hot statement built once per database connection instead of at every call. drizzle spends
 * 100-200 µs of CPU building a statement from its builder (measured: bench/README.md), more than
 * the round trip it is sent in; a prepared query skips the build, but drizzle binds it to the
 * connection it was made on (the pool, or one transaction's client). So one is kept per
 * connection: node-postgres hands its pooled clients to transaction after transaction, and a
 * statement prepared in one runs in the next on the same client. PGlite makes a new client
 * object per transaction, so there each transaction builds its own (what an unprepared query
 * does anyway).
 *
 * Values are passed by name through the placeholders `build` gets. In `insert … values` they are
 * mapped by their column like any value; in conditions (`eq(col, p.x)`) they go to the driver as
 * given, so pass what the driver takes (strings, numbers) there.
 */
export function prepared<V extends Record<string, unknown>, R>(build: (db: Db, p: Placeholders<V>) => Preparable<R>): (db: Db, values: V) => Promise<R> {
  const byConnection = new WeakMap<object, PreparedQuery<R>>();
  return (db, values) => {
    const connection = connectionOf(db);
    let query = byConnection.get(connection);
    if (!query) {
      // No name here: openDatabase names every statement by its text (database.ts: named()).
      query = build(db, placeholders as Placeholders<V>).prepare('');
      keepNullsNull(query.getQuery().params);
      byConnection.set(connection, query);
    }
    return query.execute(values);
  };
}

// drizzle's database and transaction objects carry their session, and the session its driver
// client; not in drizzle's public types, so read here, in one place.
function connectionOf(db: Db): object {
  const { session } = db as unknown as { session?: { client?: object } };
  if (!session?.client) throw new Error('prepared(): this drizzle version keeps its client elsewhere');
  return session.client;
}

/**
 * drizzle maps a placeholder's value by its column as it would a plain value, except that it
 * maps null too: a null for a json column would be stored as JSON `null`, not SQL NULL. So the
 * column's mapping is kept for everything but null.
 */
function keepNullsNull(params: unknown[]): void {
  params.forEach((param, i) => {
    if (!is(param, Param) || !is(param.value, Placeholder)) return;
    const { encoder } = param;
    params[i] = new Param(param.value, { mapToDriverValue: (value: unknown) => (value === null ? null : encoder.mapToDriverValue(value)) });
  });
}
