CREATE TABLE "report_outcome_daily" (
	"day" date NOT NULL,
	"scope" text NOT NULL,
	"held" boolean NOT NULL,
	"campaign" boolean NOT NULL,
	"exposures" integer NOT NULL,
	"converted" integer NOT NULL,
	"orders" integer NOT NULL,
	"attributed_orders" integer NOT NULL,
	"attributed_revenue" numeric(18, 2) NOT NULL,
	CONSTRAINT "report_outcome_daily_day_scope_held_pk" PRIMARY KEY("day","scope","held")
);
--> statement-breakpoint
CREATE TABLE "report_outcome_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"time_zone" text NOT NULL,
	"attribution_days" integer NOT NULL,
	"rolled_through" date NOT NULL,
	"last_event_id" bigint NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL
);
