import type { Counter, Histogram } from 'prom-client';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { TypeBoxValidatorCompiler, registerAjvFormats, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { randomBytes } from 'node:crypto';
import { Problem, problemTitle, problemTypeUri } from './problem.js';
import { problemFromError } from './errors.js';
import { addProblemResponses } from './openapi.js';
import { API_SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY, htmlSecurityHeaders } from './security-headers.js';
import './actor.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a caller needs; `public` for none. Every route must say (deny by default). */
    permission?: string;
  }
}

export type HttpServer = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger, TypeBoxTypeProvider>;

/** Decides whether the caller may use a route; throws a Problem (401/403) when not. Identity plugs in here. */
export type Authorizer = (request: FastifyRequest, permission: string) => Promise<void>;

export interface HttpServerOptions {
  logger: Logger;
  metrics: Metrics;
  bodyLimitBytes: number;
  corsOrigins: string[];
  /** Fastify's trustProxy: whose X-Forwarded-* headers say the client's address and scheme. */
  trustProxy?: boolean | number | string;
  authorize?: Authorizer;
  version: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const DOCS_PREFIX = '/docs';

const denyUnlessPublic: Authorizer = async () => {
  throw new Problem(401, 'unauthorized', 'This route needs an authenticated caller');
};

let formatsRegistered = false;

const trustNearest = (hops: number) => (_address: string, hop: number) => hop < hops;

export async function createHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  if (!formatsRegistered) {
    registerAjvFormats();
    formatsRegistered = true;
  }
  // Request ids correlate log lines; they need to be unique, not unguessable, so a random
  // per-server prefix and a counter spare a crypto call on every request.
  const requestIdPrefix = `${randomBytes(5).toString('hex')}-`;
  let requestCount = 0;
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimitBytes,
    // A hop count becomes the function Fastify's types take (the count means "trust the nearest n").
    trustProxy: typeof options.trustProxy === 'number' ? trustNearest(options.trustProxy) : options.trustProxy ?? false,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : requestIdPrefix + (++requestCount).toString(36);
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.decorateRequest('actor', null);

  // A mirror of the route table that answers "does this path exist for another method?" (405 vs 404).
  const paths = FindMyWay();
  const authorize = options.authorize ?? denyUnlessPublic;

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods as HTTPMethod[]) {
      if (method !== 'HEAD' && !paths.hasRoute(method, route.url)) paths.on(method, route.url, () => {});
    }
    // Plugin-made routes (docs, CORS preflight) are open by nature.
    if (route.url.startsWith(DOCS_PREFIX) || methods.includes('OPTIONS')) route.config = { ...route.config, permission: route.config?.permission ?? 'public' };
    if (!route.config?.permission) throw new Error(`Route ${methods.join(',')} ${route.url} declares no permission (use 'public' for open routes)`);
    const body = route.schema?.body as { type?: string; additionalProperties?: unknown } | undefined;
    if (body?.type === 'object' && body.additionalProperties !== false) {
      throw new Error(`Route ${methods.join(',')} ${route.url}: body schema must set additionalProperties: false so unknown fields are rejected`);
    }
  });

  const htmlHeaders = Object.entries(htmlSecurityHeaders({
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
      },
    },
  }));
  // Hooks that need not wait are written callback-style: an async hook costs a promise and a
  // microtask on every request, which the hot catalog reads notice (bench:catalog).
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(API_SECURITY_HEADERS);
    // RFC 6797 §7.2: HSTS only over a secure transport (TLS here, or a trusted proxy's X-Forwarded-Proto).
    if (request.protocol === 'https') reply.header('strict-transport-security', STRICT_TRANSPORT_SECURITY);
    reply.header('x-request-id', request.id);
    done();
  });

  // While shutting down, in-flight responses close their keep-alive connection, so close() need not wait for idle timeouts.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // Whatever route renders HTML (the API docs today) gets the document headers, by what it
  // sends, not by a flag it could forget; a header the route set itself (the docs' own script
  // hashes in their CSP) stays.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) {
      for (const [name, value] of htmlHeaders) {
        const current = reply.getHeader(name);
        if (current === undefined || current === API_SECURITY_HEADERS[name]) reply.header(name, value);
      }
    }
    done(null, payload);
  });

  // Before validation: a caller who may not use a route learns nothing about its schema, and gets 401/403, not 422.
  app.addHook('preValidation', (request, _reply, done) => {
    const permission = request.routeOptions.config.permission;
    if (!permission || permission === 'public') return done();
    authorize(request, permission).then(() => done(), done);
  });

  // One labelled child per method/route/status, looked up by a plain key: prom-client would
  // otherwise sort and hash the label object on every request.
  const series = new Map<string, { requests: Counter.Internal; duration: Histogram.Internal<'method' | 'route' | 'status'> }>();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let child = series.get(key);
    if (!child) {
      const labels = { method: request.method, route, status: String(reply.statusCode) };
      child = { requests: options.metrics.httpRequests.labels(labels), duration: options.metrics.httpDuration.labels(labels) };
      series.set(key, child);
    }
    child.requests.inc();
    child.duration.observe(reply.elapsedTime / 1000);
    done();
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const found = problemFromError(error);
    if (found.status >= 500) request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, request, found);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => paths.find(m as 'GET', path) !== null);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(reply, request, new Problem(405, 'method-not-allowed', `${request.method} is not allowed on ${path}; use ${allowed.join(', ')}`));
    }
    return sendProblem(reply, request, new Problem(404, 'not-found', `No route matches ${request.method} ${path}`));
  });

  await app.register(cors, { origin: options.corsOrigins.includes('*') ? true : options.corsOrigins.length > 0 ? options.corsOrigins : false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'CloudMart API', version: options.version, description: 'Commerce platform with offline intelligence. Errors are application/problem+json (RFC 9457).' },
      tags: [{ name: 'platform', description: 'Health, readiness, metrics and documentation' }],
    },
    transformObject: (documents) => addProblemResponses(('openapiObject' in documents ? documents.openapiObject : documents.swaggerObject) as Parameters<typeof addProblemResponses>[0]) as never,
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: true });

  app.get('/openapi.json', { schema: { hide: true }, config: { permission: 'public' } }, async () => app.swagger());
  return app;
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: Problem): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply.status(error.status).type('application/problem+json').send(error.toDocument(request.url));
}

export { problemTitle, problemTypeUri };
