import { bigserial, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The append-only, hash-chained audit log: each entry's `hash` covers its content and the
 * previous entry's hash, so editing or deleting any entry breaks every hash after it.
 * Security events (logins, roles, keys, MFA, erasures) and, later, money movements.
 */
export const auditLog = pgTable('audit_log', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  id: uuid('id').notNull().unique(),
  occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull(),
  action: text('action').notNull(),
  /** Who did it: a user id, `api-key:<id>`, `system`, or null for an anonymous caller. */
  actor: text('actor'),
  subjectType: text('subject_type').notNull(),
  subjectId: text('subject_id').notNull(),
  data: jsonb('data').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});
