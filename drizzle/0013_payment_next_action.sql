ALTER TABLE "payments" ADD COLUMN "next_action_type" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "next_action_url" text;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_next_action" CHECK (("payments"."next_action_type" is null) = ("payments"."next_action_url" is null));