import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// `npm run bench`: what benchmarks there are and how to run each.
const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../package.json'), 'utf8')) as { scripts: Record<string, string> };
const benches = Object.keys(pkg.scripts).filter((s) => s.startsWith('bench:')).sort();
console.log('Benchmarks (each prints a table and writes bench/results/<name>.json; see bench/README.md):\n');
for (const name of benches) console.log(`  npm run ${name}`);
