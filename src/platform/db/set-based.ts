import { sql, type AnyColumn, type SQL, type SQLWrapper } from 'drizzle-orm';

/*
 * Helpers for one statement over many rows picked by id (`… where id = any($ids)`), as a
 * consumer's run writes them.
 */

/** In such an update's `set`: the value given for this row, from parallel arrays of ids and values (a placeholder each). */
export const valueForId = (ids: SQLWrapper, values: SQLWrapper, id: AnyColumn, type: 'bigint' | 'integer' | 'text' | 'uuid'): SQL =>
  sql`(${values}::${sql.raw(type)}[])[array_position(${ids}::uuid[], ${id})]`;

/** The rows a statement returned, in the order their ids were asked for; an id with no row is left out. */
export function inOrderOf<R extends { id: string }>(rows: readonly R[], ids: readonly string[]): R[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
