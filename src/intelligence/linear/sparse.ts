/**
 * Sparse feature vectors shared by the text features and the linear models: parallel arrays
 * of strictly increasing feature indices and their values. Text vectors have a few hundred
 * non-zeros out of tens of thousands of features, so every model loops over non-zeros only.
 */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

/** A sparse vector from an index → value map (zeros dropped, indices sorted). */
export function sparseFromMap(entries: ReadonlyMap<number, number>): SparseVector {
  const kept = [...entries].filter(([, v]) => v !== 0).sort((a, b) => a[0] - b[0]);
  return {
    indices: Int32Array.from(kept, ([i]) => i),
    values: Float32Array.from(kept, ([, v]) => v),
  };
}

/** A sparse vector holding the non-zero cells of a dense row (tabular features). */
export function sparseFromDense(row: ArrayLike<number>): SparseVector {
  const map = new Map<number, number>();
  for (let i = 0; i < row.length; i++) if (row[i] !== 0) map.set(i, row[i] as number);
  return sparseFromMap(map);
}

export function sparseNorm(x: SparseVector): number {
  let s = 0;
  for (let i = 0; i < x.values.length; i++) s += (x.values[i] as number) ** 2;
  return Math.sqrt(s);
}

/** Dot product of two sparse vectors by merging their sorted indices. */
export function sparseDot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const ai = a.indices[i] as number;
    const bj = b.indices[j] as number;
    if (ai === bj) s += (a.values[i++] as number) * (b.values[j++] as number);
    else if (ai < bj) i++;
    else j++;
  }
  return s;
}
