CREATE TABLE "replies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contact_id" uuid,
	"from_address" text NOT NULL,
	"body" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"provider" text DEFAULT 'twilio' NOT NULL,
	"provider_message_id" text,
	"in_reply_to" uuid,
	"kind" text NOT NULL,
	"keyword" text,
	"survey_id" uuid,
	"ticket_id" uuid,
	"erased_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"message_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"order_id" uuid,
	"channel" text NOT NULL,
	"score" integer,
	"comment" text,
	"answered_at" timestamp with time zone,
	"answered_via" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "surveys_message_id_unique" UNIQUE("message_id")
);
--> statement-breakpoint
CREATE TABLE "ticket_responses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"body" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contact_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"survey_id" uuid,
	"opened_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"resolution_note" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "replies_received_idx" ON "replies" USING btree ("received_at","id");--> statement-breakpoint
CREATE INDEX "replies_contact_idx" ON "replies" USING btree ("contact_id","received_at");--> statement-breakpoint
CREATE INDEX "replies_ticket_idx" ON "replies" USING btree ("ticket_id") WHERE ticket_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "replies_provider_message_idx" ON "replies" USING btree ("provider","provider_message_id") WHERE provider_message_id is not null;--> statement-breakpoint
CREATE INDEX "surveys_contact_idx" ON "surveys" USING btree ("contact_id","created_at");--> statement-breakpoint
CREATE INDEX "surveys_created_idx" ON "surveys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "ticket_responses_ticket_idx" ON "ticket_responses" USING btree ("ticket_id","at");--> statement-breakpoint
CREATE INDEX "tickets_status_due_idx" ON "tickets" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "tickets_opened_idx" ON "tickets" USING btree ("opened_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_one_open_per_contact_idx" ON "tickets" USING btree ("contact_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "messages_first_order_sent_idx" ON "messages" USING btree ("sent_at") WHERE kind = 'first-order' and sent_at is not null;