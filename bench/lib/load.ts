import autocannon from 'autocannon';

export interface LoadFigures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/** Drives one URL with autocannon for a fixed time after a short warm-up; latencies in ms. */
export async function load(url: string, options: { connections: number; seconds: number; warmupSeconds?: number; headers?: Record<string, string> }): Promise<LoadFigures> {
  if (options.warmupSeconds ?? 2) await autocannon({ url, connections: options.connections, duration: options.warmupSeconds ?? 2, headers: options.headers });
  const result = await autocannon({ url, connections: options.connections, duration: options.seconds, headers: options.headers });
  return {
    rps: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** The round with the median throughput: what alternating rounds report, one burst of other work on the machine set aside. */
export const medianRound = (rounds: readonly LoadFigures[]): LoadFigures => [...rounds].sort((a, b) => a.rps - b.rps)[Math.floor(rounds.length / 2)] as LoadFigures;
