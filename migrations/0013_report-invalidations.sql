CREATE TABLE "report_invalidations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "report_invalidations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"source" text NOT NULL,
	"from_at" timestamp with time zone NOT NULL,
	"to_at" timestamp with time zone NOT NULL,
	"logged_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Hand-written: the statement-level triggers that fill report_invalidations (schema/reports.ts says why).
-- One row per statement, not per order: a 10,000-row import logs one span. An update logs only the
-- rows whose change a report reads: when placed, whose, how much, and whether the order counts
-- (cancelled and refunded orders don't).
CREATE FUNCTION report_invalidate_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_invalidations (source, from_at, to_at)
      SELECT 'orders', min(placed_at), max(placed_at) FROM new_rows HAVING count(*) > 0;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO report_invalidations (source, from_at, to_at)
      SELECT 'orders', min(placed_at), max(placed_at) FROM old_rows HAVING count(*) > 0;
  ELSE
    INSERT INTO report_invalidations (source, from_at, to_at)
      SELECT 'orders', min(least(o.placed_at, n.placed_at)), max(greatest(o.placed_at, n.placed_at))
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE o.placed_at IS DISTINCT FROM n.placed_at OR o.contact_id IS DISTINCT FROM n.contact_id
        OR o.amount IS DISTINCT FROM n.amount
        OR (o.status IN ('cancelled', 'refunded')) IS DISTINCT FROM (n.status IN ('cancelled', 'refunded'))
      HAVING count(*) > 0;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER orders_report_insert AFTER INSERT ON orders REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_invalidate_orders();
--> statement-breakpoint
CREATE TRIGGER orders_report_update AFTER UPDATE ON orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_invalidate_orders();
--> statement-breakpoint
CREATE TRIGGER orders_report_delete AFTER DELETE ON orders REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_invalidate_orders();
--> statement-breakpoint
-- Contacts: the lifecycle chart counts prospects from `created_at`, which only an insert writes
-- (contact-columns.ts), so updates — the send path's last_contacted_at among them — fire nothing.
-- Erasing a contact deletes its orders by cascade, which the orders trigger logs.
CREATE FUNCTION report_invalidate_contacts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_invalidations (source, from_at, to_at)
      SELECT 'contacts', min(created_at), max(created_at) FROM new_rows HAVING count(*) > 0;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO report_invalidations (source, from_at, to_at)
      SELECT 'contacts', min(created_at), max(created_at) FROM old_rows HAVING count(*) > 0;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER contacts_report_insert AFTER INSERT ON contacts REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_invalidate_contacts();
--> statement-breakpoint
CREATE TRIGGER contacts_report_delete AFTER DELETE ON contacts REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_invalidate_contacts();
