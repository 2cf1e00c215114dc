import { and, asc, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import { newId } from '../ids.js';
import type { EventBus } from './bus.js';
import type { EventEnvelope } from './envelope.js';
import { publishedIn } from './outbox.js';
import { outbox, relayLease } from './schema.js';

export interface RelayOptions {
  pollMs: number;
  /**
   * After a batch that was not full, how long to let the next one gather before reading it (0:
   * at once). Every consumer handles a batch in one transaction, so a batch twice as big halves
   * their transactions per event, for that much more delay before they run.
   */
  lingerMs?: number;
  batchSize?: number;
  leaseMs?: number;
  logger: Logger;
  onPublished?: (count: number) => void;
  /** Fault injection for tests: runs after a batch is published and before it is marked sent. */
  afterPublish?: (published: readonly EventEnvelope[]) => void | Promise<void>;
}

/**
 * Publishes outbox rows to the bus in commit order and marks them sent. At most one relay
 * holds the lease at a time, so order holds across processes. Publishing happens outside
 * any transaction: a crash between publish and mark means the batch is published again,
 * which the bus (NATS dedup by event id) and every consumer's inbox absorb.
 */
export class OutboxRelay {
  private readonly holder = newId();
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private pendingWake = false;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly database: Database, private readonly bus: EventBus, private readonly options: RelayOptions) {}

  private get batchSize(): number {
    return this.options.batchSize ?? 200;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // A login or a cart edit commits without events; waking for those would cost two queries each.
    this.unsubscribe = this.database.onCommit((tx) => {
      if (publishedIn(tx)) this.nudge();
    });
    this.loop = this.run();
  }

  /** Wakes the relay now instead of at the next poll (called after every commit in this process that published events). */
  nudge(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.wake?.();
    await this.loop;
    await this.releaseLease().catch(() => {});
  }

  /** Publishes one batch if this relay holds the lease; returns how many events it published. */
  async drainOnce(): Promise<number> {
    if (!(await this.acquireLease())) return 0;
    const rows = await this.database.db.select().from(outbox)
      .where(isNull(outbox.publishedAt)).orderBy(asc(outbox.seq)).limit(this.batchSize);
    if (rows.length === 0) return 0;
    const envelopes = rows.map((row): EventEnvelope => ({
      id: row.id, type: row.type, version: row.version, occurredAt: new Date(row.occurredAt).toISOString(),
      aggregateType: row.aggregateType, aggregateId: row.aggregateId, payload: row.payload, traceId: row.traceId,
    }));
    let published: EventEnvelope[] = [];
    let failure: unknown = null;
    if (this.bus.publishBatch) {
      try {
        await this.bus.publishBatch(envelopes);
        published = envelopes;
      } catch (error) {
        failure = error;
      }
    } else {
      for (const envelope of envelopes) {
        try {
          await this.bus.publish(envelope);
          published.push(envelope);
        } catch (error) {
          // Stop at the first failure so nothing after it overtakes it.
          failure = error;
          break;
        }
      }
    }
    await this.options.afterPublish?.(published);
    if (published.length > 0) {
      await this.database.db.update(outbox).set({ publishedAt: sql`now()` })
        .where(and(sql`${outbox.id} = any(${sql.param(published.map((e) => e.id))}::uuid[])`, isNull(outbox.publishedAt)));
      this.options.onPublished?.(published.length);
    }
    if (failure) throw failure;
    return published.length;
  }

  private async run(): Promise<void> {
    let backoff = this.options.pollMs;
    while (this.running) {
      this.pendingWake = false;
      let published = 0;
      try {
        published = await this.drainOnce();
        backoff = this.options.pollMs;
      } catch (error) {
        this.options.logger.warn({ err: error }, 'outbox relay: publishing failed; will retry');
        backoff = Math.min(backoff * 2, 30_000);
      }
      if (!this.running) break;
      if (published > 0 && backoff === this.options.pollMs) {
        // A full batch means more are waiting already: no reason to wait for them.
        if (this.options.lingerMs && published < this.batchSize) await this.pause(this.options.lingerMs, false);
        continue;
      }
      if (this.pendingWake && backoff === this.options.pollMs) continue;
      await this.pause(backoff, true);
    }
  }

  /** Waits `ms`; a stop ends the wait, and so does a nudge when `nudged` says it should. */
  private async pause(ms: number, nudged: boolean): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        if (nudged || !this.running) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
    this.wake = null;
  }

  private async acquireLease(): Promise<boolean> {
    const leaseMs = this.options.leaseMs ?? 10_000;
    const rows = await this.database.db.insert(relayLease)
      .values({ name: 'outbox', holder: this.holder, expiresAt: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
      .onConflictDoUpdate({
        target: relayLease.name,
        set: { holder: this.holder, expiresAt: sql`now() + ${`${leaseMs} milliseconds`}::interval` },
        setWhere: sql`${relayLease.holder} = ${this.holder} or ${relayLease.expiresAt} < now()`,
      })
      .returning({ holder: relayLease.holder });
    return rows.length > 0;
  }

  private async releaseLease(): Promise<void> {
    await this.database.db.update(relayLease).set({ expiresAt: sql`now()` })
      .where(and(sql`${relayLease.name} = 'outbox'`, sql`${relayLease.holder} = ${this.holder}`));
  }
}
