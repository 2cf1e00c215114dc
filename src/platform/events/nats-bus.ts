import { AckPolicy, DeliverPolicy, connect, nanos, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import type { EventBus } from './bus.js';
import type { EventEnvelope } from './envelope.js';

export interface NatsBusOptions {
  url: string;
  /** Stream name; subjects are `<stream lowercased>.events.<type>`. Tests use a unique one each. */
  stream: string;
  /** Redelivery after this long without an ack (the consumer crashed mid-event); set when a durable consumer is created. */
  ackWaitMs?: number;
  /** Delete the stream on close (tests). */
  deleteStreamOnClose?: boolean;
  onError?: (error: unknown, context: string) => void;
}

/** Consumer names are durable names on NATS, which allow neither dots nor spaces. */
const durableName = (name: string): string => name.replace(/[^A-Za-z0-9_-]/g, '_');

/**
 * JetStream: a durable stream (file storage) with deduplication by event id, and durable
 * pull consumers with explicit acks. Each consumer handles its messages one at a time in
 * stream order, so per-aggregate order holds.
 */
export class NatsBus implements EventBus {
  readonly kind = 'nats' as const;
  private readonly subjectPrefix: string;
  private readonly running: ConsumerMessages[] = [];
  private readonly loops: Promise<void>[] = [];

  private constructor(
    private readonly options: NatsBusOptions,
    private readonly connection: NatsConnection,
    private readonly manager: JetStreamManager,
    private readonly client: JetStreamClient,
  ) {
    this.subjectPrefix = `${options.stream.toLowerCase()}.events`;
  }

  static async connect(options: NatsBusOptions): Promise<NatsBus> {
    const connection = await connect({ servers: options.url, name: 'cloudmart', maxReconnectAttempts: -1 });
    const manager = await connection.jetstreamManager();
    const subjects = [`${options.stream.toLowerCase()}.events.>`];
    try {
      await manager.streams.info(options.stream);
    } catch {
      // Two minutes of dedup window covers a relay that crashed after publishing and restarted.
      await manager.streams.add({ name: options.stream, subjects, duplicate_window: nanos(120_000), max_age: nanos(7 * 24 * 3600_000) });
    }
    return new NatsBus(options, connection, manager, connection.jetstream());
  }

  async publish(envelope: EventEnvelope): Promise<void> {
    await this.client.publish(`${this.subjectPrefix}.${envelope.type}`, JSON.stringify(envelope), { msgID: envelope.id });
  }

  async subscribe(name: string, types: readonly string[], handle: (envelopes: readonly EventEnvelope[]) => Promise<void>): Promise<void> {
    const durable = durableName(name);
    const wanted = new Set(types);
    // nats-server 2.9 allows one filter subject per consumer: one type filters on the server, several on the client.
    const filter = types.length === 1 ? `${this.subjectPrefix}.${types[0]}` : `${this.subjectPrefix}.>`;
    await this.manager.consumers.add(this.options.stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: filter,
      ack_wait: nanos(this.options.ackWaitMs ?? 30_000),
    });
    const consumer = await this.client.consumers.get(this.options.stream, durable);
    const messages = await consumer.consume({ max_messages: 256 });
    this.running.push(messages);
    this.loops.push((async () => {
      for await (const message of messages) {
        try {
          const envelope = message.json<EventEnvelope>();
          if (wanted.has(envelope.type)) await handle([envelope]);
          message.ack();
        } catch (error) {
          this.options.onError?.(error, `consumer ${name}`);
          message.nak(1000);
        }
      }
    })());
  }

  async ping(): Promise<void> {
    if (this.connection.isClosed()) throw new Error('NATS connection is closed');
    await this.connection.flush();
  }

  async close(): Promise<void> {
    for (const messages of this.running) messages.stop();
    await Promise.allSettled(this.loops);
    if (this.options.deleteStreamOnClose) await this.manager.streams.delete(this.options.stream).catch(() => false);
    await this.connection.drain().catch(() => this.connection.close());
  }
}
