-- Issue 15: the festival tick's catch-up pass reads contacts created since its last pass; this index
-- keeps that a range read instead of a scan of every contact, every minute of a festival day.
CREATE INDEX "contacts_created_at_idx" ON "contacts" USING btree ("created_at");