import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';

/** `../shared/datasets` beside the repository, or `DATASETS_DIR`. */
export function datasetsDir(): string {
  return resolve(process.env.DATASETS_DIR ?? resolve(import.meta.dirname, '../../../../shared/datasets'));
}

/** The text of a dataset file, gunzipped when it ends in `.gz`. */
export function readDatasetText(path: string): string {
  const raw = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

/** CSV rows as records keyed by the header line. */
export function readCsvRecords(path: string): Record<string, string>[] {
  return parse(readDatasetText(path), { columns: true, skip_empty_lines: true, relax_column_count: true }) as Record<string, string>[];
}

/** CSV rows as arrays of cells, header included. */
export function readCsvRows(path: string): string[][] {
  return parse(readDatasetText(path), { skip_empty_lines: true, relax_column_count: true }) as string[][];
}
