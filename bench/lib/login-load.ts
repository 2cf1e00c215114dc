import { randomBytes } from 'node:crypto';

export interface LoginFigures {
  accounts: number;
  concurrency: number;
  logins: number;
  failed: number;
  loginsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const round = (x: number) => Math.round(x * 10) / 10;

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Registers `accounts` customers, then has `concurrency` clients log in round-robin until `logins` are done. */
export async function measureLogins(baseUrl: string, options: { accounts: number; concurrency: number; logins: number; warmup: number }): Promise<LoginFigures> {
  const run = randomBytes(4).toString('hex');
  const accounts = Array.from({ length: options.accounts }, (_, i) => ({ email: `bench-${run}-${i}@example.com`, password: `Bench-${run}-passphrase-${i}` }));
  for (let i = 0; i < accounts.length; i += 10) {
    await Promise.all(accounts.slice(i, i + 10).map(async (a) => {
      const response = await post(`${baseUrl}/auth/register`, { ...a, name: 'Bench Shopper' });
      if (response.status !== 201) throw new Error(`register answered ${response.status}: ${await response.text()}`);
    }));
  }

  let next = 0;
  const latencies: number[] = [];
  let failed = 0;
  const worker = async (total: number, record: boolean) => {
    for (;;) {
      const n = next++;
      if (n >= total) return;
      const account = accounts[n % accounts.length]!;
      const started = performance.now();
      const response = await post(`${baseUrl}/auth/login`, { email: account.email, password: account.password });
      await response.arrayBuffer();
      const ms = performance.now() - started;
      if (!record) continue;
      if (response.status === 200) latencies.push(ms);
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, () => worker(options.warmup, false)));
  next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, () => worker(options.logins, true)));
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    accounts: options.accounts, concurrency: options.concurrency, logins: options.logins, failed,
    loginsPerSecond: Math.round(latencies.length / seconds),
    p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)), p99Ms: round(percentile(sorted, 99)), maxMs: round(sorted.at(-1) ?? 0),
  };
}
