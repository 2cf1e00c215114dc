import type { EventBus } from './bus.js';
import type { EventEnvelope } from './envelope.js';

interface Subscription {
  name: string;
  types: ReadonlySet<string>;
  handle: (envelopes: readonly EventEnvelope[]) => Promise<void>;
}

/**
 * The single-process bus. publish() resolves only after every subscriber has handled the
 * event, so the relay marks an outbox row sent only once its effects are committed: a
 * crash before that leaves the row unsent and it is delivered again after restart. The
 * subscribers of one event run side by side, as independent durable consumers do on NATS:
 * each has its own inbox and transaction, and one after another the event's latency was the
 * sum of theirs (six consumers of order.placed), which let the consumers fall behind checkout.
 * Each consumer still sees the events in the relay's order, and takes the relay's whole
 * batch of its types at once: under load the events pile up between two relay rounds, and
 * one transaction for a run of them costs far less than one each (ConsumerRunner.deliverAll).
 */
export class InProcessBus implements EventBus {
  readonly kind = 'in-process' as const;
  private readonly subscriptions: Subscription[] = [];
  private closed = false;

  publish(envelope: EventEnvelope): Promise<void> {
    return this.publishBatch([envelope]);
  }

  async publishBatch(envelopes: readonly EventEnvelope[]): Promise<void> {
    if (this.closed) throw new Error('The event bus is closed');
    const handling = this.subscriptions.map((s) => {
      const run = envelopes.filter((e) => s.types.has(e.type));
      return run.length > 0 ? s.handle(run) : Promise.resolve();
    });
    // All settle before publishing answers; the first failure is then reported (the relay retries the batch).
    const failed = (await Promise.allSettled(handling)).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async subscribe(name: string, types: readonly string[], handle: (envelopes: readonly EventEnvelope[]) => Promise<void>): Promise<void> {
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
