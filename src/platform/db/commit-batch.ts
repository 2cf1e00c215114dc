import { beforeCommit, type Tx } from './database.js';

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
