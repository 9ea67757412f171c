CREATE TABLE "report_lifecycle_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"time_zone" text NOT NULL,
	"thresholds" text NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_lifecycle_weeks" (
	"at" timestamp with time zone NOT NULL,
	"class" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "report_lifecycle_weeks_at_class_pk" PRIMARY KEY("at","class")
);
