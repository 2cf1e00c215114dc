import { and, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Tx } from '../db/database.js';
import type { EventDefinition } from './envelope.js';
import { writeAnnounced } from './outbox.js';
import { deadLetters, outbox } from './schema.js';

/**
 * Which payload fields of some events hold a person's data, and which field says whose it is.
 * The module that publishes the events declares this (the platform does not know what an
 * order or a review is) and redacts them when that person is erased: the outbox keeps
 * delivered events for replay, and dead letters keep whole envelopes, so their payloads
 * would otherwise outlive the erasure.
 */
export interface PersonalEventFields {
  readonly types: readonly string[];
  /** The payload field holding the person's id (e.g. the customer's), matched as text. */
  readonly subjectField: string;
  /** Top-level string fields; erased to '' so the payload still passes its schema for a late delivery or a replay. */
  readonly fields: readonly string[];
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks the declaration against each event's payload schema when the module loads, so a
 * typo or a field that could not hold '' fails at start and in tests, not at someone's erasure.
 */
export function personalEventFields(spec: { events: readonly EventDefinition[]; subjectField: string; fields: readonly string[] }): PersonalEventFields {
  if (spec.events.length === 0 || spec.fields.length === 0) throw new Error('personalEventFields needs events and fields');
  for (const event of spec.events) {
    for (const name of [spec.subjectField, ...spec.fields]) {
      if (!FIELD_NAME.test(name)) throw new Error(`${event.type}: ${name} is not a top-level payload field name`);
      if (!propertyOf(event.payload, name)) throw new Error(`${event.type} has no payload field ${name}`);
    }
    for (const name of spec.fields) {
      if (!Compile(propertyOf(event.payload, name)!).Check('')) throw new Error(`${event.type}.${name} cannot be erased to '' (not a string field)`);
    }
  }
  return Object.freeze({ types: spec.events.map((e) => e.type), subjectField: spec.subjectField, fields: Object.freeze([...spec.fields]) });
}

/** A property's schema, looking through intersections (`Type.Intersect` is `allOf`). */
function propertyOf(schema: TSchema, name: string): TSchema | undefined {
  const s = schema as { properties?: Record<string, TSchema>; allOf?: TSchema[] };
  if (s.properties && Object.hasOwn(s.properties, name)) return s.properties[name];
  for (const part of s.allOf ?? []) {
    const found = propertyOf(part, name);
    if (found) return found;
  }
  return undefined;
}

/**
 * Erases the declared fields in every stored copy of the events that concern `subjectId`:
 * outbox rows (published or not: an unpublished one is then delivered without the data) and
 * dead letters. Run it in the erasure's transaction, after the module has anonymised its own
 * rows, so events it publishes from then on carry nothing to redact. Touches only rows that
 * still hold something, so a second erasure changes nothing. Scans the tables (no index on
 * payload fields): erasure is rare and runs in a consumer, off the request path.
 */
export async function redactStoredEvents(tx: Tx, personal: PersonalEventFields, subjectId: string): Promise<{ outbox: number; deadLetters: number }> {
  const redacted = (document: SQL, path: readonly string[]) =>
    personal.fields.reduce((doc, field) => sql`jsonb_set(${doc}, ${`{${[...path, field].join(',')}}`}::text[], '""'::jsonb, false)`, document);
  const holdsData = (payload: SQL) => or(...personal.fields.map((field) => sql`coalesce(${payload} ->> ${field}, '') <> ''`))!;

  await writeAnnounced(tx);
  const outboxPayload = sql`${outbox.payload}`;
  const inOutbox = await tx.update(outbox).set({ payload: redacted(outboxPayload, []) })
    .where(and(inArray(outbox.type, [...personal.types]), sql`${outbox.payload} ->> ${personal.subjectField} = ${subjectId}`, holdsData(outboxPayload)))
    .returning({ seq: outbox.seq });

  const letterPayload = sql`(${deadLetters.envelope} -> 'payload')`;
  const inDeadLetters = await tx.update(deadLetters).set({ envelope: redacted(sql`${deadLetters.envelope}`, ['payload']) })
    .where(and(inArray(deadLetters.eventType, [...personal.types]), sql`${letterPayload} ->> ${personal.subjectField} = ${subjectId}`, holdsData(letterPayload)))
    .returning({ id: deadLetters.id });
  return { outbox: inOutbox.length, deadLetters: inDeadLetters.length };
}
