import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { randomBytes } from 'node:crypto';
import { connect, nanos, type JetStreamManager, type NatsConnection } from 'nats';
import Type from 'typebox';
import { defineEvent, type EventEnvelope } from './envelope.js';
import { NatsBus } from './nats-bus.js';

/** The relay's batches on JetStream (a stream of its own per test, deleted after); needs NATS_URL. */
const natsUrl = process.env.NATS_URL;
const ticked = defineEvent({ type: 'test.ticked', aggregateType: 'clock', payload: Type.Object({ n: Type.Integer(), pad: Type.String() }) });
const tick = (n: number, pad = '') => ticked.create(`clock-${n % 3}`, { n, pad });

let stream: string;
let raw: NatsConnection;
let manager: JetStreamManager;
let bus: NatsBus;

/** The ticks the stream holds, in its order. */
async function stored(): Promise<number[]> {
  const { state } = await manager.streams.info(stream);
  const ns = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) ns.push((await manager.streams.getMessage(stream, { seq })).json<EventEnvelope<{ n: number }>>().payload.n);
  return ns;
}

describe.skipIf(!natsUrl)('NATS JetStream bus: batches published pipelined', () => {
  beforeEach(async () => {
    stream = `TEST_BATCH_${randomBytes(6).toString('hex').toUpperCase()}`;
    raw = await connect({ servers: natsUrl });
    manager = await raw.jetstreamManager();
    // Made here, as the bus would, but refusing messages over 2 kB: a refusal mid-batch to provoke.
    await manager.streams.add({ name: stream, subjects: [`${stream.toLowerCase()}.events.>`], duplicate_window: nanos(120_000), max_msg_size: 2048 });
    bus = await NatsBus.connect({ url: natsUrl as string, stream, deleteStreamOnClose: true });
  });
  afterEach(async () => {
    await bus.close();
    await raw.close();
  });

  test('batch after batch lands whole and in order', async () => {
    await bus.publishBatch(Array.from({ length: 100 }, (_, i) => tick(i)));
    await bus.publishBatch(Array.from({ length: 50 }, (_, i) => tick(100 + i)));
    expect(await stored()).toEqual(Array.from({ length: 150 }, (_, i) => i));
  });

  test('a batch published again in part (after a crash) stores each event once, still in order', async () => {
    const first = [tick(1), tick(2), tick(3)];
    await bus.publishBatch(first);
    await bus.publishBatch([first[1] as EventEnvelope, first[2] as EventEnvelope, tick(4), tick(5)]);
    // An old duplicate, the stream having moved on since: the rest goes one by one, in order.
    await bus.publishBatch([first[0] as EventEnvelope, tick(6), tick(7)]);
    expect(await stored()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test('when the stream refuses one event, none after it lands ahead of it, and the batch rejects', async () => {
    await expect(bus.publishBatch([tick(1), tick(2), tick(3, 'x'.repeat(4000)), tick(4), tick(5)])).rejects.toThrow();
    expect(await stored()).toEqual([1, 2]);
    // The next batch starts a chain of its own.
    await bus.publishBatch([tick(6), tick(7)]);
    expect(await stored()).toEqual([1, 2, 6, 7]);
  });

  test('another publisher in between costs nothing: each batch keeps its own order', async () => {
    await bus.publishBatch([tick(1), tick(2)]);
    await raw.jetstream().publish(`${stream.toLowerCase()}.events.test.ticked`, JSON.stringify(tick(99)));
    await bus.publishBatch([tick(3), tick(4)]);
    expect(await stored()).toEqual([1, 2, 99, 3, 4]);
  });
});
