ALTER TABLE "messages" ADD COLUMN "segments" smallint;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "holdout_percent" numeric(5, 2) DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "orders_placed_idx" ON "orders" USING btree ("placed_at");--> statement-breakpoint
CREATE INDEX "messages_contact_sent_idx" ON "messages" USING btree ("contact_id","sent_at") WHERE sent_at is not null;--> statement-breakpoint
CREATE INDEX "messages_report_at_idx" ON "messages" USING btree ((coalesce("sent_at", "scheduled_at"))) WHERE status in ('sent', 'delivered', 'failed', 'undelivered', 'suppressed');