/**
 * `npm run bench:accuracy [-- name…]`: runs every `bench/accuracy/*.bench.ts` (or those whose
 * file name contains one of the given names), prints one table and writes
 * bench/results/accuracy.json. A filtered run replaces only its own benchmarks' rows.
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { datasetsDir } from './lib/data.js';
import type { AccuracyBenchmark, AccuracyRow } from './lib/types.js';

const here = import.meta.dirname;
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
  .sort();
if (files.length === 0) {
  console.error(`no accuracy benchmark matches ${filters.join(', ')}`);
  process.exit(2);
}

const ctx = { datasetsDir: datasetsDir(), log: (m: string) => process.stderr.write(`  ${m}\n`) };
const rows: AccuracyRow[] = [];
const failedToRun: string[] = [];
for (const file of files) {
  process.stderr.write(`▶ ${file}\n`);
  const started = performance.now();
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: AccuracyBenchmark };
    rows.push(...(await mod.default(ctx)));
  } catch (error) {
    failedToRun.push(file);
    process.stderr.write(`  ✗ ${file} failed to run: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.stderr.write(`  ${file} took ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

const format = (x: number | null): string => (x === null ? '—' : Number.isInteger(x) ? String(x) : x.toPrecision(4));
const table = rows.map((r) => [r.benchmark, r.metric, format(r.ours), format(r.reference), r.bar, r.pass ? 'pass' : 'FAIL']);
const header = ['benchmark', 'metric', 'ours', 'reference', 'bar', 'result'];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] as string).length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));
console.log(`\n${rows.filter((r) => r.pass).length} of ${rows.length} rows pass${failedToRun.length ? `; failed to run: ${failedToRun.join(', ')}` : ''}`);

const out = resolve(here, '../results/accuracy.json');
mkdirSync(resolve(here, '../results'), { recursive: true });
const ran = new Set(rows.map((r) => r.benchmark));
const kept = filters.length > 0 && existsSync(out)
  ? (JSON.parse(readFileSync(out, 'utf8')) as AccuracyRow[]).filter((r) => !ran.has(r.benchmark))
  : [];
writeFileSync(out, `${JSON.stringify([...kept, ...rows], null, 2)}\n`);
process.exitCode = failedToRun.length > 0 ? 1 : 0;
