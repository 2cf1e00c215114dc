// Loaded into a benchmarked server with --import when BENCH_STATEMENTS_DIR is set: counts the
// statements it sends to PostgreSQL by their text (parameters stripped) and writes the counts,
// most frequent first, to <dir>/statements-<pid>.json when the server stops. Counts, unlike
// timings, are the same on a fast or a slow machine: they show what a change saved.
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import pg from 'pg';

const counts = new Map();
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(config, ...rest) {
  const text = typeof config === 'string' ? config : (config?.text ?? '');
  const shape = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  counts.set(shape, (counts.get(shape) ?? 0) + 1);
  return query.call(this, config, ...rest);
};
process.once('exit', () => {
  const sorted = [...counts].sort((a, b) => b[1] - a[1]).map(([statement, count]) => ({ count, statement }));
  writeFileSync(`${process.env.BENCH_STATEMENTS_DIR}/statements-${process.pid}.json`, JSON.stringify(sorted, null, 1));
});
