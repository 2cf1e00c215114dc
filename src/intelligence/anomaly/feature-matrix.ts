/**
 * Row-major numeric matrix used as detector input: one row per order (or record), one column
 * per feature. A flat Float64Array keeps 100,000-row scoring free of per-row allocations.
 */
export interface FeatureMatrix {
  readonly rowCount: number;
  readonly columnCount: number;
  /** values[row * columnCount + column]. */
  readonly values: Float64Array;
}

export function featureMatrixFromRows(rows: readonly (readonly number[])[]): FeatureMatrix {
  const rowCount = rows.length;
  const columnCount = rowCount === 0 ? 0 : (rows[0] as readonly number[]).length;
  const values = new Float64Array(rowCount * columnCount);
  rows.forEach((row, r) => {
    if (row.length !== columnCount) throw new RangeError(`row ${r} has ${row.length} values, expected ${columnCount}`);
    values.set(row, r * columnCount);
  });
  return { rowCount, columnCount, values };
}

export function featureMatrix(values: Float64Array, columnCount: number): FeatureMatrix {
  if (columnCount <= 0 || values.length % columnCount !== 0) {
    throw new RangeError(`${values.length} values do not form rows of ${columnCount} columns`);
  }
  return { rowCount: values.length / columnCount, columnCount, values };
}

/** The given rows as a new matrix (copies), e.g. a training subsample. */
export function selectRows(matrix: FeatureMatrix, rowIndices: ArrayLike<number>): FeatureMatrix {
  const { columnCount } = matrix;
  const values = new Float64Array(rowIndices.length * columnCount);
  for (let i = 0; i < rowIndices.length; i++) {
    const start = (rowIndices[i] as number) * columnCount;
    values.set(matrix.values.subarray(start, start + columnCount), i * columnCount);
  }
  return { rowCount: rowIndices.length, columnCount, values };
}
