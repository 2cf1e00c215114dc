CREATE TABLE "order_captures" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"amount" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"failure_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "order_captures_pending" ON "order_captures" USING btree ("created_at") WHERE "order_captures"."status" = 'pending';