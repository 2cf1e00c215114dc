import type { EventBus } from './bus.js';
import type { EventEnvelope } from './envelope.js';

interface Subscription {
  name: string;
  types: ReadonlySet<string>;
  handle: (envelope: EventEnvelope) => Promise<void>;
}

/**
 * The single-process bus. publish() resolves only after every subscriber has handled the
 * event, so the relay marks an outbox row sent only once its effects are committed: a
 * crash before that leaves the row unsent and it is delivered again after restart. The
 * subscribers of one event run side by side, as independent durable consumers do on NATS:
 * each has its own inbox and transaction, and one after another the event's latency was the
 * sum of theirs (six consumers of order.placed), which let the consumers fall behind checkout.
 * Each consumer still sees the events in the relay's order.
 */
export class InProcessBus implements EventBus {
  readonly kind = 'in-process' as const;
  private readonly subscriptions: Subscription[] = [];
  private closed = false;

  async publish(envelope: EventEnvelope): Promise<void> {
    if (this.closed) throw new Error('The event bus is closed');
    const handling = this.subscriptions.filter((s) => s.types.has(envelope.type)).map((s) => s.handle(envelope));
    // All settle before publish() answers; the first failure is then reported (the relay retries the event).
    const failed = (await Promise.allSettled(handling)).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async subscribe(name: string, types: readonly string[], handle: (envelope: EventEnvelope) => Promise<void>): Promise<void> {
    if (this.subscriptions.some((s) => s.name === name)) throw new Error(`Consumer ${name} is subscribed twice`);
    this.subscriptions.push({ name, types: new Set(types), handle });
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('The event bus is closed');
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
