-- Issue 14, orders as a journey: orders gain the journey's fields and their status history (on the row,
-- so the row lock that serialises an order's updates also serialises its history); contacts gain the
-- order figures (spent_total, kept incrementally like order_count) and last_contacted_at (set by markSent).
-- The back-fill below gives existing orders their current status as history and recomputes the figures
-- once, now that cancelled/refunded orders no longer count.
ALTER TABLE "contacts" ADD COLUMN "spent_total" numeric(16, 2) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "last_contacted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "paid_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "tracking_number" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "carrier" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "departure_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "items" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "coupon_code" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "attributes" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "status_history" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
UPDATE "orders" SET "status_history" = jsonb_build_array(jsonb_build_object('status', "status", 'at', to_char("updated_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')));--> statement-breakpoint
UPDATE "contacts" c SET "order_count" = s.n, "spent_total" = s.spent, "first_order_at" = s.first_at, "last_order_at" = s.last_at
FROM (
  SELECT "contact_id", count(*) FILTER (WHERE "status" NOT IN ('cancelled', 'refunded'))::int AS n,
    coalesce(sum("amount") FILTER (WHERE "status" NOT IN ('cancelled', 'refunded')), 0) AS spent,
    min("placed_at") FILTER (WHERE "status" NOT IN ('cancelled', 'refunded')) AS first_at,
    max("placed_at") FILTER (WHERE "status" NOT IN ('cancelled', 'refunded')) AS last_at
  FROM "orders" GROUP BY "contact_id"
) s
WHERE c."id" = s."contact_id";
