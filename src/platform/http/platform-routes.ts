import Type from 'typebox';
import type { Database } from '../db/database.js';
import type { EventBus } from '../events/bus.js';
import type { Metrics } from '../observability/metrics.js';
import { Problem, knownProblemTypes, problemTitle, problemTypeUri } from './problem.js';
import type { HttpServer } from './server.js';

const withTimeout = <T>(work: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref())]);

/** /health, /ready, /metrics and /problems/{slug}: what operators and load balancers ask. */
export function platformRoutes(http: HttpServer, deps: { database: Database; bus: EventBus; metrics: Metrics; version: string; startedAt: number }): void {
  http.get('/health', {
    config: { permission: 'public' },
    schema: {
      tags: ['platform'], summary: 'Liveness: the process is up',
      response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String(), uptimeSeconds: Type.Number() }) },
    },
  }, async () => ({ status: 'ok' as const, version: deps.version, uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000) }));

  http.get('/ready', {
    config: { permission: 'public' },
    schema: {
      tags: ['platform'], summary: 'Readiness: the database and the event bus answer (503 with the reason otherwise)',
      response: { 200: Type.Object({ status: Type.Literal('ready'), database: Type.String(), bus: Type.String() }) },
    },
  }, async () => {
    const [database, bus] = await Promise.allSettled([
      withTimeout(deps.database.ping(), 2000, 'the database'),
      withTimeout(deps.bus.ping(), 2000, 'the event bus'),
    ]);
    const reasons = [
      database.status === 'rejected' ? `database (${deps.database.kind}) unreachable: ${(database.reason as Error).message}` : null,
      bus.status === 'rejected' ? `event bus (${deps.bus.kind}) unreachable: ${(bus.reason as Error).message}` : null,
    ].filter((r): r is string => r !== null);
    if (reasons.length > 0) throw new Problem(503, 'service-unavailable', `Not ready: ${reasons.join('; ')}`, { checks: { database: database.status, bus: bus.status } });
    return { status: 'ready' as const, database: deps.database.kind, bus: deps.bus.kind };
  });

  http.get('/metrics', {
    config: { permission: 'public' },
    schema: { tags: ['platform'], summary: 'Prometheus metrics', response: { 200: Type.String() } },
  }, async (_request, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  http.get('/problems/:slug', {
    config: { permission: 'public' },
    schema: {
      tags: ['platform'], summary: 'What a problem type means',
      params: Type.Object({ slug: Type.String({ pattern: '^[a-z0-9-]{1,64}$' }) }),
      response: { 200: Type.Object({ type: Type.String(), title: Type.String(), known: Type.Boolean() }) },
    },
  }, async (request) => ({
    type: problemTypeUri(request.params.slug),
    title: problemTitle(request.params.slug),
    known: request.params.slug in knownProblemTypes(),
  }));
}
