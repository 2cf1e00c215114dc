import type { Static, TSchema } from 'typebox';
import { asc, eq, isNull, sql } from 'drizzle-orm';
import type { Database, Tx } from '../db/database.js';
import { prepared, type Placeholders } from '../db/prepared.js';
import type { Logger } from '../observability/logger.js';
import { newId } from '../ids.js';
import type { EventBus } from './bus.js';
import type { EventDefinition, EventEnvelope, EventRegistry } from './envelope.js';
import { deadLetters, inbox } from './schema.js';

// The inbox rows of a run, one statement text for any run length (drizzle builds a multi-row
// insert anew at each call, and each length would be a statement of its own to PostgreSQL).
const claimInbox = prepared((db, p: Placeholders<{ consumer: string; eventIds: string[] }>) => db.insert(inbox)
  .select(sql`select ${p.consumer}::text, unnest(${p.eventIds}::uuid[]), now()`).onConflictDoNothing().returning({ eventId: inbox.eventId }));

/** A named, idempotent reaction to events. The name is the inbox key and the durable consumer name. */
export interface ConsumerDefinition {
  readonly name: string;
  readonly types: readonly string[];
  /**
   * A cheap look before the transaction, once for a whole run of events: false means none of
   * them asks anything of the consumer, so no transaction and no inbox row are spent on them (a
   * redelivery looks again); true sends them all to handle. It must read shared state (the
   * database), never this process's memory: other processes change it.
   */
  wants?(events: readonly EventEnvelope[]): Promise<boolean>;
  handle(tx: Tx, event: EventEnvelope): Promise<void>;
  /**
   * The events of a run (those not handled before), in one call, in the run's transaction: one
   * set-based statement for all of them rather than the same statement once per event. A
   * consumer that has it makes `handle` a run of one (runConsumer does both).
   */
  handleRun?(tx: Tx, events: readonly EventEnvelope[]): Promise<void>;
}

export function consumer<S extends TSchema>(
  name: string,
  event: EventDefinition<S>,
  handle: (tx: Tx, event: EventEnvelope<Static<S>>) => Promise<void>,
): ConsumerDefinition;
export function consumer(name: string, events: readonly EventDefinition[], handle: (tx: Tx, event: EventEnvelope) => Promise<void>): ConsumerDefinition;
export function consumer(name: string, events: EventDefinition | readonly EventDefinition[], handle: (tx: Tx, event: EventEnvelope<never>) => Promise<void>): ConsumerDefinition {
  const list = Array.isArray(events) ? events : [events as EventDefinition];
  return { name, types: list.map((e) => e.type), handle: handle as (tx: Tx, event: EventEnvelope) => Promise<void> };
}

/** A consumer that handles a run of events at once (ConsumerDefinition.handleRun); one event is a run of one. */
export function runConsumer<S extends TSchema>(name: string, event: EventDefinition<S>, handleRun: (tx: Tx, events: readonly EventEnvelope<Static<S>>[]) => Promise<void>): ConsumerDefinition {
  const run = handleRun as (tx: Tx, events: readonly EventEnvelope[]) => Promise<void>;
  return { name, types: [event.type], handle: (tx, e) => run(tx, [e]), handleRun: run };
}

export type Outcome = 'handled' | 'duplicate' | 'skipped' | 'dead-lettered';

export interface ConsumerRunnerOptions {
  maxAttempts: number;
  backoffMs: number;
  logger: Logger;
  onOutcome?: (consumer: string, outcome: Outcome | 'retried') => void;
}

/** Most events of one consumer handled in one transaction. */
const RUN_LIMIT = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs consumers: each delivery is handled in one transaction that also records the event
 * id in the inbox, so a second delivery has no second effect. A failing handler is retried
 * with exponential backoff, then parked as a dead letter so the stream moves on.
 */
export class ConsumerRunner {
  private readonly byName = new Map<string, ConsumerDefinition>();

  constructor(
    private readonly database: Database,
    private readonly registry: EventRegistry,
    private readonly options: ConsumerRunnerOptions,
  ) {}

  async subscribeAll(bus: EventBus, consumers: readonly ConsumerDefinition[]): Promise<void> {
    for (const c of consumers) {
      if (this.byName.has(c.name)) throw new Error(`Two consumers are named ${c.name}`);
      this.byName.set(c.name, c);
      await bus.subscribe(c.name, c.types, (envelopes) => this.deliverAll(c, envelopes));
    }
  }

  get(name: string): ConsumerDefinition | undefined {
    return this.byName.get(name);
  }

  async deliver(c: ConsumerDefinition, envelope: EventEnvelope): Promise<Outcome> {
    const reasons = this.registry.check(envelope);
    if (reasons.length > 0) {
      await this.deadLetter(c, envelope, `invalid event: ${reasons.join('; ')}`, 0);
      return 'dead-lettered';
    }
    let lastError: unknown = null;
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      try {
        const outcome = await this.handleOnce(c, envelope);
        this.options.onOutcome?.(c.name, outcome);
        return outcome;
      } catch (error) {
        lastError = error;
        this.options.onOutcome?.(c.name, 'retried');
        this.options.logger.warn({ err: error, consumer: c.name, eventId: envelope.id, attempt }, 'consumer failed');
        if (attempt < this.options.maxAttempts) await sleep(this.options.backoffMs * 2 ** (attempt - 1));
      }
    }
    await this.deadLetter(c, envelope, lastError instanceof Error ? lastError.message : String(lastError), this.options.maxAttempts);
    return 'dead-lettered';
  }

  /**
   * A run of events for one consumer, in order. Several are handled in one transaction with
   * their inbox rows (at most RUN_LIMIT, so the rows a consumer locks are not held for long):
   * under load a transaction each cost more than the handlers' own work. When anything in a
   * run fails, it rolls back whole and its events go one at a time (retries, dead letters).
   */
  async deliverAll(c: ConsumerDefinition, envelopes: readonly EventEnvelope[]): Promise<void> {
    for (let from = 0; from < envelopes.length; from += RUN_LIMIT) {
      const run = envelopes.slice(from, from + RUN_LIMIT);
      if (run.length > 1 && run.every((e) => this.registry.check(e).length === 0)) {
        const outcomes = await this.handleRun(c, run).catch((error: unknown) => {
          this.options.logger.debug({ err: error, consumer: c.name, events: run.length }, 'consumer run failed; handling its events one at a time');
          return null;
        });
        if (outcomes) {
          for (const outcome of outcomes) this.options.onOutcome?.(c.name, outcome);
          continue;
        }
      }
      for (const envelope of run) await this.deliver(c, envelope);
    }
  }

  private async handleRun(c: ConsumerDefinition, run: readonly EventEnvelope[]): Promise<Exclude<Outcome, 'dead-lettered'>[]> {
    if (c.wants && !(await c.wants(run))) return run.map(() => 'skipped');
    return this.database.transaction(async (tx) => {
      const claimed = new Set((await claimInbox(tx, { consumer: c.name, eventIds: run.map((e) => e.id) })).map((r) => r.eventId));
      const fresh = run.filter((e) => claimed.has(e.id));
      if (!c.handleRun) for (const envelope of fresh) await c.handle(tx, envelope);
      else if (fresh.length > 0) await c.handleRun(tx, fresh);
      return run.map((e) => (claimed.has(e.id) ? 'handled' : 'duplicate'));
    });
  }

  /** One attempt: the inbox row and the handler's effect commit together or not at all. */
  async handleOnce(c: ConsumerDefinition, envelope: EventEnvelope): Promise<Exclude<Outcome, 'dead-lettered'>> {
    if (c.wants && !(await c.wants([envelope]))) return 'skipped';
    return this.database.transaction(async (tx) => {
      const claimed = await claimInbox(tx, { consumer: c.name, eventIds: [envelope.id] });
      if (claimed.length === 0) return 'duplicate';
      await c.handle(tx, envelope);
      return 'handled';
    });
  }

  private async deadLetter(c: ConsumerDefinition, envelope: EventEnvelope, error: string, attempts: number): Promise<void> {
    this.options.logger.error({ consumer: c.name, eventId: envelope.id, type: envelope.type, error }, 'event dead-lettered');
    await this.database.db.insert(deadLetters).values({
      id: newId(), consumer: c.name, eventId: envelope.id, eventType: envelope.type, envelope, error, attempts,
    });
    this.options.onOutcome?.(c.name, 'dead-lettered');
  }

  /** Dead letters not yet replayed, oldest first. */
  async listDeadLetters(): Promise<(typeof deadLetters.$inferSelect)[]> {
    return this.database.db.select().from(deadLetters).where(isNull(deadLetters.replayedAt)).orderBy(asc(deadLetters.failedAt));
  }

  /** Replays one dead letter through its consumer once; marks it replayed when it succeeds. */
  async replay(deadLetterId: string): Promise<{ id: string; outcome: Outcome | 'failed' | 'unknown-consumer'; error?: string }> {
    const [letter] = await this.database.db.select().from(deadLetters).where(eq(deadLetters.id, deadLetterId));
    if (!letter) throw new Error(`No dead letter ${deadLetterId}`);
    const c = this.byName.get(letter.consumer);
    if (!c) return { id: letter.id, outcome: 'unknown-consumer' };
    try {
      const outcome = await this.handleOnce(c, letter.envelope as EventEnvelope);
      await this.database.db.update(deadLetters).set({ replayedAt: new Date().toISOString() }).where(eq(deadLetters.id, letter.id));
      return { id: letter.id, outcome };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.database.db.update(deadLetters).set({ error: message, attempts: letter.attempts + 1 }).where(eq(deadLetters.id, letter.id));
      return { id: letter.id, outcome: 'failed', error: message };
    }
  }
}
