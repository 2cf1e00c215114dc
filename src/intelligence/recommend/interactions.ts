/**
 * Purchase history as the recommenders see it: an item vocabulary and, per customer, the
 * distinct items bought with how often and how recently. Implicit feedback is treated as a
 * binary customer × item matrix X (Hu, Koren & Volinsky 2008, §2: "preference" p_ui = 1 when
 * r_ui > 0); counts and dates are kept beside it for repeat-purchase scoring.
 */

/** One order line. `at` is epoch milliseconds (the core never reads the clock). */
export interface PurchaseLine {
  customerId: string;
  itemId: string;
  /** Order / invoice id: lines sharing it form one basket. */
  basketId: string;
  at: number;
}

/** What a customer bought, for scoring: item ids with dates (order lines, repeats allowed). */
export interface CustomerPurchase {
  itemId: string;
  at: number;
  basketId?: string;
}

export interface InteractionMatrix {
  /** Item ids; an item's position here is its index everywhere in the fitted models. */
  items: string[];
  itemIndex: Map<string, number>;
  customers: string[];
  /** Per customer: sorted distinct item indices (one row of the binary X). */
  rows: Int32Array[];
  /** Distinct buyers per item (column sums of X). */
  buyers: Float64Array;
  /** Latest purchase time seen in the data. */
  lastAt: number;
}

/** Builds X from order lines; item order is first appearance, so fits are deterministic. */
export function buildInteractions(lines: readonly PurchaseLine[]): InteractionMatrix {
  const itemIndex = new Map<string, number>();
  const items: string[] = [];
  const customerIndex = new Map<string, number>();
  const customers: string[] = [];
  const sets: Set<number>[] = [];
  let lastAt = -Infinity;
  for (const line of lines) {
    let i = itemIndex.get(line.itemId);
    if (i === undefined) {
      i = items.length;
      itemIndex.set(line.itemId, i);
      items.push(line.itemId);
    }
    let u = customerIndex.get(line.customerId);
    if (u === undefined) {
      u = customers.length;
      customerIndex.set(line.customerId, u);
      customers.push(line.customerId);
      sets.push(new Set());
    }
    (sets[u] as Set<number>).add(i);
    if (line.at > lastAt) lastAt = line.at;
  }
  const buyers = new Float64Array(items.length);
  const rows = sets.map((s) => {
    const row = Int32Array.from(s).sort();
    for (const i of row) buyers[i] = (buyers[i] as number) + 1;
    return row;
  });
  return { items, itemIndex, customers, rows, buyers, lastAt };
}

/** Distinct known item indices of a history (unknown items are skipped: the model cannot use them). */
export function historyRow(itemIndex: ReadonlyMap<string, number>, history: readonly CustomerPurchase[]): number[] {
  const seen = new Set<number>();
  for (const p of history) {
    const i = itemIndex.get(p.itemId);
    if (i !== undefined) seen.add(i);
  }
  return [...seen];
}

/** Sparse top-N lists: for source item i, `index[i]` targets in descending `weight[i]`. JSON-friendly. */
export interface SparseNeighbours {
  index: number[][];
  weight: number[][];
}

/** Keeps the `topN` largest entries of a dense row (excluding `self`), descending. */
export function topEntries(row: ArrayLike<number>, topN: number, self: number, minWeight = 0): { index: number[]; weight: number[] } {
  const candidates: number[] = [];
  for (let j = 0; j < row.length; j++) if (j !== self && (row[j] as number) > minWeight) candidates.push(j);
  candidates.sort((a, b) => (row[b] as number) - (row[a] as number) || a - b);
  const kept = candidates.slice(0, topN);
  return { index: kept, weight: kept.map((j) => row[j] as number) };
}

/** Indices of the k largest scores, descending, ties by lower index; `skip` entries are never returned. */
export function topK(scores: ArrayLike<number>, k: number, skip?: ReadonlySet<number>): number[] {
  // A bounded selection keeps this O(n log k) for catalogues of thousands.
  const heap: number[] = [];
  const worse = (a: number, b: number): boolean => {
    const sa = scores[a] as number;
    const sb = scores[b] as number;
    return sa < sb || (sa === sb && a > b);
  };
  for (let j = 0; j < scores.length; j++) {
    if (skip?.has(j)) continue;
    if (heap.length < k) {
      heap.push(j);
      let c = heap.length - 1;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!worse(heap[c] as number, heap[p] as number)) break;
        [heap[c], heap[p]] = [heap[p] as number, heap[c] as number];
        c = p;
      }
    } else if (k > 0 && worse(heap[0] as number, j)) {
      heap[0] = j;
      let p = 0;
      for (;;) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < heap.length && worse(heap[l] as number, heap[m] as number)) m = l;
        if (r < heap.length && worse(heap[r] as number, heap[m] as number)) m = r;
        if (m === p) break;
        [heap[m], heap[p]] = [heap[p] as number, heap[m] as number];
        p = m;
      }
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}
