DROP INDEX "messages_status_scheduled_idx";--> statement-breakpoint
DROP INDEX "messages_campaign_idx";--> statement-breakpoint
DROP INDEX "messages_provider_id_idx";--> statement-breakpoint
CREATE INDEX "messages_status_scheduled_idx" ON "messages" USING btree ("status","scheduled_at") WHERE status in ('scheduled', 'queued', 'sending');--> statement-breakpoint
CREATE INDEX "messages_campaign_idx" ON "messages" USING btree ("campaign_id","status") WHERE campaign_id is not null;--> statement-breakpoint
CREATE INDEX "messages_provider_id_idx" ON "messages" USING btree ("provider_message_id") WHERE provider_message_id is not null;