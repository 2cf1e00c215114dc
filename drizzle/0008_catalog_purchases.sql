CREATE TABLE "catalog_purchases" (
	"order_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"customer_id" text NOT NULL,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalog_purchases_order_id_product_id_pk" PRIMARY KEY("order_id","product_id")
);
--> statement-breakpoint
CREATE INDEX "catalog_purchases_customer" ON "catalog_purchases" USING btree ("customer_id","product_id");