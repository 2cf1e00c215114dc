import { getTableColumns, is, Param, Placeholder, SQL, sql, type AnyColumn, type SQLWrapper } from 'drizzle-orm';
import type { PgColumn, PgInsertValue, PgTable } from 'drizzle-orm/pg-core';
import { selectRows, type Db } from './database.js';

/*
 * Helpers for one statement over many rows: picked by id (`… where id = any($ids)`), or
 * inserted together, as a group of checkouts or a consumer's run writes them.
 */

/** In such an update's `set`: the value given for this row, from parallel arrays of ids and values (a placeholder each). */
export const valueForId = (ids: SQLWrapper, values: SQLWrapper, id: AnyColumn, type: 'bigint' | 'integer' | 'text' | 'uuid'): SQL =>
  sql`(${values}::${sql.raw(type)}[])[array_position(${ids}::uuid[], ${id})]`;

/** The rows a statement returned, in the order their ids were asked for; an id with no row is left out. */
export function inOrderOf<R extends { id: string }>(rows: readonly R[], ids: readonly string[]): R[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The text around an insert's one parameter, for a table and the columns its rows set. */
interface RowsInsert {
  head: string;
  tail: string;
  columns: [key: string, column: PgColumn][];
}
const insertsByTable = new WeakMap<PgTable, Map<string, RowsInsert | null>>();

function rowsInsert(table: PgTable, keys: string[], onConflictDoNothing: boolean): RowsInsert | null {
  const known = insertsByTable.get(table) ?? new Map<string, RowsInsert | null>();
  insertsByTable.set(table, known);
  const signature = `${onConflictDoNothing}:${keys.join(',')}`;
  if (known.has(signature)) return known.get(signature) ?? null;
  const all = getTableColumns(table) as Record<string, PgColumn>;
  const columns = keys.map((key) => [key, all[key]] as [string, PgColumn | undefined]);
  let insert: RowsInsert | null = null;
  if (columns.every((c): c is [string, PgColumn] => c[1] !== undefined)) {
    const names = columns.map(([, c]) => `"${c.name}"`).join(', ');
    insert = {
      head: `(${names}) select ${names} from jsonb_to_recordset(`,
      tail: `::jsonb) as r(${columns.map(([, c]) => `"${c.name}" ${c.getSQLType()}`).join(', ')})${onConflictDoNothing ? ' on conflict do nothing' : ''}`,
      columns,
    };
  }
  known.set(signature, insert);
  return insert;
}

const isExpression = (value: unknown) => is(value, SQL) || is(value, Param) || is(value, Placeholder);

/** The insert of rows as one jsonb parameter, or null when they must go through values() (insertRows). */
function jsonbInsert(table: PgTable, rows: readonly Record<string, unknown>[], onConflictDoNothing: boolean): SQL | null {
  const keys = Object.keys(rows[0]!).filter((key) => rows[0]![key] !== undefined);
  const plain = rows.every((row) => {
    const set = Object.keys(row).filter((key) => row[key] !== undefined);
    return set.length === keys.length && keys.every((key) => row[key] !== undefined && !isExpression(row[key]));
  });
  const insert = plain && keys.length > 0 ? rowsInsert(table, keys, onConflictDoNothing) : null;
  if (!insert) return null;
  // Each value as the driver would be given it, but JSON as itself: it is inside JSON here.
  const json = rows.map((row) => Object.fromEntries(insert.columns.map(([key, column]) => {
    const value = row[key];
    return [column.name, value === null || column.dataType === 'json' ? value : column.mapToDriverValue(value)];
  })));
  return sql`insert into ${table} ${sql.raw(insert.head)}${JSON.stringify(json)}${sql.raw(insert.tail)}`;
}

/**
 * Inserts rows in one statement whose text depends on the columns they set, not on how many
 * there are: the rows go as one jsonb parameter that jsonb_to_recordset unpacks. drizzle's
 * `values(rows)` builds a parameter per value at every call (200-600 µs for a group's rows,
 * measured: bench/README.md), and each row count is a statement PostgreSQL parses anew. Rows
 * that set different columns, or give an SQL expression for a value, go through `values()`, so
 * it stays one statement (all or nothing, in a transaction or not) and each column a row leaves
 * out takes its default.
 */
export async function insertRows<T extends PgTable>(db: Db, table: T, rows: readonly PgInsertValue<T>[], options: { onConflictDoNothing?: boolean } = {}): Promise<void> {
  if (rows.length === 0) return;
  const insert = jsonbInsert(table, rows as readonly Record<string, unknown>[], options.onConflictDoNothing ?? false);
  if (insert) {
    await db.execute(insert);
    return;
  }
  const values = db.insert(table).values([...rows]);
  await (options.onConflictDoNothing ? values.onConflictDoNothing() : values);
}

/** insertRows, answering the rows as stored (`returning *`), mapped as drizzle's `returning()` maps them. */
export async function insertRowsReturning<T extends PgTable>(db: Db, table: T, rows: readonly PgInsertValue<T>[]): Promise<T['$inferSelect'][]> {
  if (rows.length === 0) return [];
  const insert = jsonbInsert(table, rows as readonly Record<string, unknown>[], false);
  if (!insert) return db.insert(table).values([...rows]).returning() as Promise<T['$inferSelect'][]>;
  const stored = await selectRows<Record<string, unknown>>(db, sql`${insert} returning *`);
  const columns = Object.entries(getTableColumns(table) as Record<string, PgColumn>);
  return stored.map((row) => Object.fromEntries(columns.map(([key, column]) => {
    const value = row[column.name];
    return [key, value === null || value === undefined ? null : column.mapFromDriverValue(value)];
  })) as T['$inferSelect']);
}
