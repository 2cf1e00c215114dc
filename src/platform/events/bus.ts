import type { EventEnvelope } from './envelope.js';

/**
 * Where the relay publishes and consumers subscribe. Delivery is at least once; consumers
 * make it exactly-once in effect through their inbox.
 */
export interface EventBus {
  readonly kind: 'in-process' | 'nats';
  /** Resolves once the bus has durably accepted the event (or, in-process, once it is handled). */
  publish(envelope: EventEnvelope): Promise<void>;
  /**
   * Delivers events of the given types to `handle`, in publication order, one at a time.
   * A handler that rejects leaves the event unacknowledged, to be delivered again.
   */
  subscribe(name: string, types: readonly string[], handle: (envelope: EventEnvelope) => Promise<void>): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
