import { beforeCommit, type Tx } from './database.js';
import { insertRows } from './set-based.js';
import type { PgInsertValue, PgTable } from 'drizzle-orm/pg-core';

/**
 * Where end work that locks rows many transactions queue on runs: after the rest, and always in
 * this order (a module's contended rows, such as stock levels, then the one audit chain head),
 * so no two transactions take two of them in opposite orders.
 */
export const END_ORDER = { contendedRows: 1, auditChainHead: 2 } as const;

/** Items a transaction collects and writes once, at its end. */
export interface CommitBatch<T> {
  /** In a transaction of Database.transaction(), kept for its end; elsewhere (the pool, a savepoint) written at once. */
  add(tx: Tx, items: readonly T[]): Promise<void>;
  /** Writes what this transaction has collected so far, now: for work that reads what was written. */
  flush(tx: Tx): Promise<void>;
}

/**
 * Writes that batch better at a transaction's end: `write` runs once per transaction with
 * everything added to it, as its last statements before the commit (beforeCommit), so a
 * consumer handling a run of fifty events writes once, not fifty times. `order` places it among
 * a transaction's other end work (beforeCommit): late for a write that locks a row every
 * transaction queues on.
 */
export function commitBatch<T>(write: (tx: Tx, items: T[]) => Promise<void>, options: { order?: number } = {}): CommitBatch<T> {
  const collected = new WeakMap<Tx, T[]>();
  const flush = async (tx: Tx) => {
    const items = collected.get(tx);
    collected.delete(tx);
    if (items?.length) await write(tx, items);
  };
  return {
    async add(tx, items) {
      if (items.length === 0) return;
      const queued = collected.get(tx);
      if (queued) {
        queued.push(...items);
        return;
      }
      if (beforeCommit(tx, () => flush(tx), options)) {
        collected.set(tx, [...items]);
        return;
      }
      await write(tx, [...items]);
    },
    flush,
  };
}

/**
 * Rows a transaction inserts at its end, one insert for all of them (insertRows): for rows
 * nothing in the same transaction reads back (a timeline note, a sent mail's record), so that a
 * consumer run of fifty events inserts once. A reader that must see them calls flush(tx) first.
 */
export function insertAtCommit<T extends PgTable>(table: T, options: { onConflictDoNothing?: boolean } = {}): CommitBatch<PgInsertValue<T>> {
  return commitBatch((tx, rows) => insertRows(tx, table, rows, options));
}
