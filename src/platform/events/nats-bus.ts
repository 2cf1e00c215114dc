import { AckPolicy, DeliverPolicy, connect, nanos, type ConsumerMessages, type JetStreamClient, type JsMsg, type JetStreamManager, type NatsConnection } from 'nats';
import type { EventBus } from './bus.js';
import type { EventEnvelope } from './envelope.js';

export interface NatsBusOptions {
  url: string;
  /** Stream name; subjects are `<stream lowercased>.events.<type>`. Tests use a unique one each. */
  stream: string;
  /** Redelivery after this long without an ack (the consumer crashed mid-event); set when a durable consumer is created. */
  ackWaitMs?: number;
  /** Most messages handed to a consumer at once (default 64; 1 hands them over one at a time). */
  runMax?: number;
  /** Delete the stream on close (tests). */
  deleteStreamOnClose?: boolean;
  onError?: (error: unknown, context: string) => void;
}

/** Messages a consumer holds from the server ahead of handling them. */
const BUFFERED = 256;
/** Most messages handed to a consumer at once, by default (its runner splits them further into transactions). */
const RUN_MAX = 64;

/**
 * The consumer's messages in runs: the first to arrive, and every other one already here by
 * the time this process's pending I/O has been read (a setImmediate turn), so events that
 * piled up are handled together while a lone event does not wait for company.
 */
async function* runsOf(messages: ConsumerMessages, runMax: number): AsyncGenerator<JsMsg[]> {
  const iterator = messages[Symbol.asyncIterator]();
  let next = iterator.next();
  for (;;) {
    const first = await next;
    if (first.done) return;
    const run = [first.value];
    next = iterator.next();
    while (run.length < runMax) {
      const ready = await Promise.race([next, new Promise<null>((resolve) => setImmediate(() => resolve(null)))]);
      if (ready === null) break;
      if (ready.done) {
        yield run;
        return;
      }
      run.push(ready.value);
      next = iterator.next();
    }
    yield run;
  }
}

/** Consumer names are durable names on NATS, which allow neither dots nor spaces. */
const durableName = (name: string): string => name.replace(/[^A-Za-z0-9_-]/g, '_');

/**
 * JetStream: a durable stream (file storage) with deduplication by event id, and durable
 * pull consumers with explicit acks. Each consumer handles its messages in stream order, one
 * run at a time (runsOf), so per-aggregate order holds; a run is acked once handled, or
 * nak'd whole to come again.
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
    await this.client.publish(this.subjectOf(envelope), JSON.stringify(envelope), { msgID: envelope.id });
  }

  /**
   * Publishes the batch pipelined, every event in flight at once instead of one acknowledgement
   * after another. Each one after the first expects the stream's last message to be its
   * predecessor, so when one is refused, the stream refuses every later one too and none lands
   * ahead of it. A duplicate (a batch published again after a crash) keeps the chain; a stream
   * that moved on since breaks it, and the rest of the batch then goes one at a time.
   */
  async publishBatch(envelopes: readonly EventEnvelope[]): Promise<void> {
    const acks = await Promise.allSettled(envelopes.map((envelope, i) => this.client.publish(this.subjectOf(envelope), JSON.stringify(envelope), {
      msgID: envelope.id, ...(i > 0 ? { expect: { lastMsgID: (envelopes[i - 1] as EventEnvelope).id } } : {}),
    })));
    // Everything before the first refusal is stored; from there on, one by one.
    const refused = acks.findIndex((ack) => ack.status === 'rejected');
    if (refused === -1) return;
    for (const envelope of envelopes.slice(refused)) await this.publish(envelope);
  }

  private subjectOf(envelope: EventEnvelope): string {
    return `${this.subjectPrefix}.${envelope.type}`;
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
    const messages = await consumer.consume({ max_messages: BUFFERED });
    this.running.push(messages);
    this.loops.push((async () => {
      for await (const run of runsOf(messages, this.options.runMax ?? RUN_MAX)) {
        try {
          const envelopes = run.map((m) => m.json<EventEnvelope>()).filter((e) => wanted.has(e.type));
          if (envelopes.length > 0) await handle(envelopes);
          for (const message of run) message.ack();
        } catch (error) {
          this.options.onError?.(error, `consumer ${name}`);
          for (const message of run) message.nak(1000);
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
