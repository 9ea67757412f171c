CREATE TABLE "report_invalidation_consumers" (
	"name" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_invalidations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "report_invalidations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"consumer" text NOT NULL,
	"source" text NOT NULL,
	"from_at" timestamp with time zone NOT NULL,
	"to_at" timestamp with time zone NOT NULL,
	"logged_at" timestamp with time zone DEFAULT now() NOT NULL
);

--> statement-breakpoint
-- Hand-written: the statement-level triggers that fill report_invalidations (schema/reports.ts says why).
-- One row per statement, not per order: a 10,000-row import logs one span. An update logs only the
-- rows whose change a report reads: when placed, whose, how much, and whether the order counts
-- (cancelled and refunded orders don't). Each consumer (a rollup) gets its own row and deletes only
-- its own, so one rollup's refresh can't hide a change from another.
CREATE FUNCTION report_invalidate_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_invalidations (consumer, source, from_at, to_at)
      SELECT c.name, 'orders', min(placed_at), max(placed_at) FROM new_rows CROSS JOIN report_invalidation_consumers c GROUP BY c.name;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO report_invalidations (consumer, source, from_at, to_at)
      SELECT c.name, 'orders', min(placed_at), max(placed_at) FROM old_rows CROSS JOIN report_invalidation_consumers c GROUP BY c.name;
  ELSE
    INSERT INTO report_invalidations (consumer, source, from_at, to_at)
      SELECT c.name, 'orders', min(least(o.placed_at, n.placed_at)), max(greatest(o.placed_at, n.placed_at))
      FROM old_rows o JOIN new_rows n ON n.id = o.id CROSS JOIN report_invalidation_consumers c
      WHERE o.placed_at IS DISTINCT FROM n.placed_at OR o.contact_id IS DISTINCT FROM n.contact_id
        OR o.amount IS DISTINCT FROM n.amount
        OR (o.status IN ('cancelled', 'refunded')) IS DISTINCT FROM (n.status IN ('cancelled', 'refunded'))
      GROUP BY c.name;
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
    INSERT INTO report_invalidations (consumer, source, from_at, to_at)
      SELECT c.name, 'contacts', min(created_at), max(created_at) FROM new_rows CROSS JOIN report_invalidation_consumers c GROUP BY c.name;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO report_invalidations (consumer, source, from_at, to_at)
      SELECT c.name, 'contacts', min(created_at), max(created_at) FROM old_rows CROSS JOIN report_invalidation_consumers c GROUP BY c.name;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER contacts_report_insert AFTER INSERT ON contacts REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_invalidate_contacts();
--> statement-breakpoint
CREATE TRIGGER contacts_report_delete AFTER DELETE ON contacts REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_invalidate_contacts();
--> statement-breakpoint
-- The two rollups that read the log: attribution and the holdout comparison per day, and lifecycle weeks.
INSERT INTO report_invalidation_consumers (name) VALUES ('attribution'), ('lifecycle');
