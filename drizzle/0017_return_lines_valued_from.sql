ALTER TABLE "order_return_lines" ADD COLUMN "valued_from" integer;--> statement-breakpoint
-- Returns refunded, or with a refund on its way, before the column: valued in the order their refunds were asked for, as refundReturn counted them then.
UPDATE "order_return_lines" l SET "valued_from" = v."valued_from"
FROM (
  SELECT rl."id", (sum(rl."quantity") OVER (PARTITION BY rl."order_line_id" ORDER BY f."asked_at", rl."return_id") - rl."quantity")::int AS "valued_from"
  FROM "order_return_lines" rl
  JOIN (
    SELECT "return_id", min("created_at") AS "asked_at" FROM "payment_refunds"
    WHERE "return_id" IS NOT NULL AND "status" IN ('pending', 'succeeded') GROUP BY "return_id"
  ) f ON f."return_id" = rl."return_id"
) v
WHERE v."id" = l."id";
