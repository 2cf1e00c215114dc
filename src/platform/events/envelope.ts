import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { newId } from '../ids.js';

/** What travels on the bus: DESIGN.md "Events". */
export interface EventEnvelope<P = unknown> {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  aggregateType: string;
  aggregateId: string;
  payload: P;
  traceId: string | null;
}

export interface EventDefinition<S extends TSchema = TSchema> {
  readonly type: string;
  readonly version: number;
  readonly aggregateType: string;
  readonly payload: S;
  /** Builds an envelope; throws on a payload that breaks the schema (a programming error). */
  create(aggregateId: string, payload: Static<S>, options?: { traceId?: string | null; occurredAt?: Date }): EventEnvelope<Static<S>>;
  /** Validates a received envelope's payload; returns the reasons it is invalid. */
  problems(payload: unknown): string[];
}

export class InvalidEventError extends Error {
  constructor(readonly eventType: string, readonly reasons: string[]) {
    super(`Invalid ${eventType} payload: ${reasons.join('; ')}`);
    this.name = 'InvalidEventError';
  }
}

export function defineEvent<S extends TSchema>(spec: { type: string; version?: number; aggregateType: string; payload: S }): EventDefinition<S> {
  const validator = Compile(spec.payload);
  const problems = (payload: unknown): string[] =>
    validator.Check(payload) ? [] : validator.Errors(payload).map((e) => `${e.instancePath || '/'} ${e.message}`);
  return {
    type: spec.type,
    version: spec.version ?? 1,
    aggregateType: spec.aggregateType,
    payload: spec.payload,
    problems,
    create(aggregateId, payload, options = {}) {
      const reasons = problems(payload);
      if (reasons.length > 0) throw new InvalidEventError(spec.type, reasons);
      return {
        id: newId(),
        type: spec.type,
        version: spec.version ?? 1,
        occurredAt: (options.occurredAt ?? new Date()).toISOString(),
        aggregateType: spec.aggregateType,
        aggregateId,
        payload,
        traceId: options.traceId ?? null,
      };
    },
  };
}

/** Every event type the app knows, so received envelopes can be checked before a handler sees them. */
export class EventRegistry {
  private readonly byType = new Map<string, EventDefinition>();

  register(...definitions: EventDefinition[]): void {
    for (const d of definitions) {
      const existing = this.byType.get(d.type);
      if (existing && existing !== d) throw new Error(`Event type ${d.type} is defined twice`);
      this.byType.set(d.type, d);
    }
  }

  get(type: string): EventDefinition | undefined {
    return this.byType.get(type);
  }

  types(): string[] {
    return [...this.byType.keys()].sort();
  }

  /** Reasons a received envelope cannot be handled; empty when it is fine. */
  check(envelope: EventEnvelope): string[] {
    const definition = this.byType.get(envelope.type);
    if (!definition) return [`unknown event type ${envelope.type}`];
    return definition.problems(envelope.payload);
  }
}
