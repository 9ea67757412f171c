-- Issue 15, lifecycle journeys: who enters cooling/lapsing/lost/gone today is last_order_at + N days,
-- so the scheduler tick finds them as ranges on this index instead of scanning every contact.
CREATE INDEX "contacts_last_order_at_idx" ON "contacts" USING btree ("last_order_at");