ALTER TABLE "dev_mailbox" ADD COLUMN "subject_id" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "customer_id" uuid;--> statement-breakpoint
CREATE INDEX "dev_mailbox_subject" ON "dev_mailbox" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "notifications_customer" ON "notifications" USING btree ("customer_id");--> statement-breakpoint
-- One-off backfill so mail sent before this migration is found by export and erasure too: the dev mailbox by the account's address, notifications by their order's customer.
UPDATE "dev_mailbox" AS d SET "subject_id" = u."id"::text FROM "identity_users" AS u WHERE u."email" = d."to";--> statement-breakpoint
UPDATE "notifications" AS n SET "customer_id" = o."customer_id" FROM "orders" AS o WHERE o."id" = n."order_id";
