import { eq } from 'drizzle-orm';
import Type from 'typebox';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type Database } from '../db/database.js';
import { migrateDatabase } from '../db/migrate.js';
import { newId } from '../ids.js';
import { defineEvent, type EventEnvelope } from './envelope.js';
import { publish } from './outbox.js';
import { personalEventFields, redactStoredEvents } from './redact.js';
import { deadLetters, outbox } from './schema.js';

// Events of a made-up module: the platform must redact them knowing nothing of the business.
const noteTaken = defineEvent({
  type: 'test.note-taken', aggregateType: 'note',
  payload: Type.Object({ noteId: Type.String(), ownerId: Type.Union([Type.String(), Type.Null()]), text: Type.String(), nickname: Type.Optional(Type.String()), stars: Type.Integer() }),
});
const noteShared = defineEvent({
  type: 'test.note-shared', aggregateType: 'note',
  payload: Type.Intersect([Type.Object({ noteId: Type.String(), ownerId: Type.String(), text: Type.String() }), Type.Object({ with: Type.String() })]),
});
const personal = personalEventFields({ events: [noteTaken, noteShared], subjectField: 'ownerId', fields: ['text'] });

let database: Database;
beforeAll(async () => {
  database = await openDatabase({ databaseUrl: null, dataDir: 'memory://', poolSize: 1 });
  await migrateDatabase(database, null);
}, 60_000);
afterAll(async () => database?.close());

const payloadOf = async (id: string) => (await database.db.select().from(outbox).where(eq(outbox.id, id)))[0]!.payload as Record<string, unknown>;

describe('redacting personal fields of stored events', () => {
  test('a declaration naming a field the payload lacks, or one that cannot hold an empty string, fails when it is made', () => {
    expect(() => personalEventFields({ events: [noteTaken], subjectField: 'ownerId', fields: ['txet'] })).toThrow(/test.note-taken has no payload field txet/);
    expect(() => personalEventFields({ events: [noteTaken], subjectField: 'owner', fields: ['text'] })).toThrow(/no payload field owner/);
    expect(() => personalEventFields({ events: [noteTaken], subjectField: 'ownerId', fields: ['stars'] })).toThrow(/cannot be erased/);
    expect(() => personalEventFields({ events: [noteShared], subjectField: 'ownerId', fields: ['with', 'text'] })).not.toThrow();
    expect(() => personalEventFields({ events: [noteTaken], subjectField: 'ownerId', fields: ["text}', '{x"] })).toThrow(/not a top-level/);
  });

  test("erases the subject's fields in the outbox and in dead letters, leaves everyone else's, and a second pass changes nothing", async () => {
    const ada = newId();
    const bob = newId();
    const mine = noteTaken.create('n1', { noteId: 'n1', ownerId: ada, text: 'Ada Lovelace, 12 Marylebone High St', nickname: 'ada', stars: 5 });
    const shared = noteShared.create('n2', { noteId: 'n2', ownerId: ada, text: 'for Charles', with: 'charles' });
    const theirs = noteTaken.create('n3', { noteId: 'n3', ownerId: bob, text: 'Bob here', stars: 3 });
    const anonymous = noteTaken.create('n4', { noteId: 'n4', ownerId: null, text: 'nobody', stars: 1 });
    await database.transaction((tx) => publish(tx, mine, shared, theirs, anonymous));
    const letter = async (envelope: EventEnvelope) => database.db.insert(deadLetters)
      .values({ id: newId(), consumer: 'test.consumer', eventId: envelope.id, eventType: envelope.type, envelope, error: 'boom', attempts: 3 }).returning();
    const [myLetter] = await letter(mine);
    const [theirLetter] = await letter(theirs);

    const counts = await database.transaction((tx) => redactStoredEvents(tx, personal, ada));
    expect(counts).toEqual({ outbox: 2, deadLetters: 1 });

    const redacted = await payloadOf(mine.id);
    expect(redacted).toEqual({ noteId: 'n1', ownerId: ada, text: '', nickname: 'ada', stars: 5 });
    // The redacted payload still passes its schema: a late delivery or a replay is handled, not dead-lettered.
    expect(noteTaken.problems(redacted)).toEqual([]);
    expect(await payloadOf(shared.id)).toEqual({ noteId: 'n2', ownerId: ada, text: '', with: 'charles' });
    expect((await payloadOf(theirs.id)).text).toBe('Bob here');
    expect((await payloadOf(anonymous.id)).text).toBe('nobody');

    const letters = await database.db.select().from(deadLetters);
    const envelopeOf = (id: string) => letters.find((l) => l.id === id)!.envelope as EventEnvelope<Record<string, unknown>>;
    expect(envelopeOf(myLetter!.id)).toMatchObject({ id: mine.id, type: mine.type, payload: { noteId: 'n1', ownerId: ada, text: '', stars: 5 } });
    expect(envelopeOf(theirLetter!.id).payload.text).toBe('Bob here');

    expect(await database.transaction((tx) => redactStoredEvents(tx, personal, ada))).toEqual({ outbox: 0, deadLetters: 0 });
    expect(await database.transaction((tx) => redactStoredEvents(tx, personal, newId()))).toEqual({ outbox: 0, deadLetters: 0 });
  });
});
