-- Issue 13: messages travel in batch jobs (job_key), and the happy path's times live on the row
-- (queued_at, sending_at, with created_at and sent_at) instead of one event each.
ALTER TABLE "messages" ADD COLUMN "job_key" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "queued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "sending_at" timestamp with time zone;--> statement-breakpoint
-- Rows already here logged every transition as an event: they read true (a constant default adds
-- the column without rewriting the table); rows written from now on read false.
ALTER TABLE "messages" ADD COLUMN "history_in_events" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "history_in_events" SET DEFAULT false;
