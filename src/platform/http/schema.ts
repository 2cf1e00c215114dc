import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Idempotency keys of unsafe requests: the first request claims (scope, key) and stores its
 * response; a retry with the same body gets that response again, a different body a 422.
 */
export const idempotencyKeys = pgTable('idempotency_keys', {
  /** Who and where: e.g. the route and the cart, so two callers cannot collide on one key. */
  scope: text('scope').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  /** Null while the first request is still running. */
  statusCode: integer('status_code'),
  response: jsonb('response'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.scope, t.key] })]);
