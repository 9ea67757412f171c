CREATE TABLE "report_daily" (
	"day" date NOT NULL,
	"scope" text NOT NULL,
	"provider" text NOT NULL,
	"campaign" boolean NOT NULL,
	"sent" integer NOT NULL,
	"delivered" integer NOT NULL,
	"failed" integer NOT NULL,
	"held" integer NOT NULL,
	"sms_segments" bigint NOT NULL,
	"other_sent" integer NOT NULL,
	CONSTRAINT "report_daily_day_scope_provider_pk" PRIMARY KEY("day","scope","provider")
);
--> statement-breakpoint
CREATE TABLE "report_rollup_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"time_zone" text NOT NULL,
	"rolled_through" date NOT NULL,
	"last_event_id" bigint NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL
);
