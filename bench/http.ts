/**
 * `npm run bench:http`: a bare Fastify hello-world and the full app's /health, side by side in
 * one run, alternating round by round so the machine's noise hits both; plus the outbox
 * relay's events/s on PGlite and, when reachable, PostgreSQL. Writes bench/results/http.json.
 */
import { load, medianRound, type LoadFigures } from './lib/load.js';
import { startServerProcess } from './lib/server-process.js';
import { relayThroughput } from './lib/relay-throughput.js';
import { printTable, writeResult } from './lib/report.js';
import { cpus, loadavg } from 'node:os';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 100);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const relayEvents = Number(process.env.BENCH_RELAY_EVENTS ?? 10_000);
const postgresUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

// Both servers stay up and are driven in alternation, round after round, so a burst of
// other work on the machine hits both sides; each side reports its median round.
const helloServer = await startServerProcess('servers/hello-world.ts');
const appServer = await startServerProcess('servers/cloudmart.ts');
const helloRounds: LoadFigures[] = [];
const healthRounds: LoadFigures[] = [];
console.error(`HTTP: ${connections} connections, ${rounds} alternating rounds of ${seconds} s each after 2 s warm-up`);
try {
  for (let r = 0; r < rounds; r++) {
    helloRounds.push(await load(`${helloServer.url}/`, { connections, seconds }));
    healthRounds.push(await load(`${appServer.url}/health`, { connections, seconds }));
  }
} finally {
  await helloServer.stop();
  await appServer.stop();
}
const helloWorld = medianRound(helloRounds);
const health = medianRound(healthRounds);

console.error(`Relay: ${relayEvents} events`);
const pglite = await relayThroughput(null, relayEvents);
let postgres: Awaited<ReturnType<typeof relayThroughput>> | null = null;
try {
  postgres = await relayThroughput(postgresUrl, relayEvents);
} catch (error) {
  console.error(`PostgreSQL at ${postgresUrl.replace(/:[^:@/]+@/, ':***@')} not measured: ${(error as Error).message}`);
}

printTable(['server', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx'], [
  ['fastify hello-world', helloWorld.rps, helloWorld.p50Ms, helloWorld.p99Ms, helloWorld.errors, helloWorld.non2xx],
  ['cloudmart /health', health.rps, health.p50Ms, health.p99Ms, health.errors, health.non2xx],
]);
console.log(`\nload average while measuring: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);
console.log(`/health throughput is ${((100 * health.rps) / helloWorld.rps).toFixed(0)} % of hello-world\n`);
printTable(['outbox relay', 'events', 'relay events/s', 'with inbox consumer events/s'], [
  ['PGlite (embedded)', pglite.events, pglite.relayEventsPerSecond, pglite.withConsumerEventsPerSecond],
  ...(postgres ? [['PostgreSQL', postgres.events, postgres.relayEventsPerSecond, postgres.withConsumerEventsPerSecond]] : []),
]);
const path = writeResult('http', {
  measuredAt: new Date().toISOString(), connections, seconds, rounds, loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
  helloWorld, health, helloWorldRounds: helloRounds.map((f) => f.rps), healthRounds: healthRounds.map((f) => f.rps), healthToHelloWorldRatio: Number((health.rps / helloWorld.rps).toFixed(3)),
  relay: { pglite, postgres },
});
console.log(`\nwrote ${path}`);
