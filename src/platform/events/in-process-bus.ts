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
 * crash before that leaves the row unsent and it is delivered again after restart.
 */
export class InProcessBus implements EventBus {
  readonly kind = 'in-process' as const;
  private readonly subscriptions: Subscription[] = [];
  private closed = false;

  async publish(envelope: EventEnvelope): Promise<void> {
    if (this.closed) throw new Error('The event bus is closed');
    for (const s of this.subscriptions) {
      if (s.types.has(envelope.type)) await s.handle(envelope);
    }
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
