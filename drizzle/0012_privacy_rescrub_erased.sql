-- One-off: customers erased before erasure covered mail and the event history get the same clean-up
-- that the erasure consumers now do (identity/privacy.ts, notifications/privacy.ts, and the
-- personalEventFields of orders/privacy.ts and catalog/privacy.ts). New erasures do not need this.
DELETE FROM "dev_mailbox" WHERE "subject_id" IN (SELECT "id"::text FROM "identity_users" WHERE "status" = 'erased')
  OR "to" IN (SELECT n."recipient" FROM "notifications" AS n JOIN "identity_users" AS u ON u."id" = n."customer_id" WHERE u."status" = 'erased');--> statement-breakpoint
UPDATE "notifications" SET "recipient" = '', "subject" = '' WHERE "customer_id" IN (SELECT "id" FROM "identity_users" WHERE "status" = 'erased');--> statement-breakpoint
UPDATE "outbox" SET "payload" = jsonb_set("payload", '{email}', '""', false)
  WHERE "type" IN ('order.placed', 'order.paid', 'order.cancelled', 'order.fulfilled', 'order.shipped', 'order.delivered')
  AND "payload" ->> 'customerId' IN (SELECT "id"::text FROM "identity_users" WHERE "status" = 'erased') AND coalesce("payload" ->> 'email', '') <> '';--> statement-breakpoint
UPDATE "outbox" SET "payload" = jsonb_set(jsonb_set("payload", '{title}', '""', false), '{body}', '""', false)
  WHERE "type" = 'review.submitted' AND "payload" ->> 'customerId' IN (SELECT "id"::text FROM "identity_users" WHERE "status" = 'erased');--> statement-breakpoint
UPDATE "dead_letters" SET "envelope" = jsonb_set("envelope", '{payload,email}', '""', false)
  WHERE "event_type" IN ('order.placed', 'order.paid', 'order.cancelled', 'order.fulfilled', 'order.shipped', 'order.delivered')
  AND "envelope" -> 'payload' ->> 'customerId' IN (SELECT "id"::text FROM "identity_users" WHERE "status" = 'erased');--> statement-breakpoint
UPDATE "dead_letters" SET "envelope" = jsonb_set(jsonb_set("envelope", '{payload,title}', '""', false), '{payload,body}', '""', false)
  WHERE "event_type" = 'review.submitted' AND "envelope" -> 'payload' ->> 'customerId' IN (SELECT "id"::text FROM "identity_users" WHERE "status" = 'erased');
