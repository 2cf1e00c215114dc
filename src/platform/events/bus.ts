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
   * Publishes events in order, all or (rejecting) none for the relay's bookkeeping; in-process,
   * each consumer gets its share of the batch at once (see subscribe), on NATS the publishes are
   * pipelined without letting one overtake another that was refused.
   */
  publishBatch?(envelopes: readonly EventEnvelope[]): Promise<void>;
  /**
   * Delivers events of the given types to `handle`, in publication order: one at a time, or
   * a run of several at once where the bus has them together (a run is handled whole or the
   * call rejects). A handler that rejects leaves its events unacknowledged, to be delivered again.
   */
  subscribe(name: string, types: readonly string[], handle: (envelopes: readonly EventEnvelope[]) => Promise<void>): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
