import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per app instance (never prom-client's global one), so many apps can run in
 * one process, as the tests do. Gauges that need the database are filled on scrape.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'] as const, registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds', help: 'HTTP request latency by route and status', labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [this.registry],
  });
  readonly eventsPublished = new Counter({ name: 'events_published_total', help: 'Outbox events published to the bus', registers: [this.registry] });
  readonly consumerOutcomes = new Counter({
    name: 'event_consumer_outcomes_total', help: 'Event deliveries by consumer and outcome (handled, duplicate, retried, dead-lettered)',
    labelNames: ['consumer', 'outcome'] as const, registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Registers a gauge whose value is read on every scrape. */
  gauge(name: string, help: string, read: () => Promise<number | null>): void {
    new Gauge({
      name, help, registers: [this.registry],
      async collect() {
        const value = await read().catch(() => null);
        if (value !== null) this.set(value);
      },
    });
  }
}
