CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" text,
	"response_body" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"external_id" text,
	"name" text,
	"phone" text,
	"email" text,
	"locale" text NOT NULL,
	"time_zone" text NOT NULL,
	"gender" text DEFAULT 'unspecified' NOT NULL,
	"birthday_year" smallint,
	"birthday_month" smallint,
	"birthday_day" smallint,
	"birthday_calendar" text DEFAULT 'gregorian' NOT NULL,
	"birthday_leap_month" boolean DEFAULT false NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"tier" text,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"consent_sms" boolean DEFAULT true NOT NULL,
	"consent_sms_at" timestamp with time zone DEFAULT now() NOT NULL,
	"consent_sms_source" text DEFAULT 'api' NOT NULL,
	"consent_email" boolean DEFAULT true NOT NULL,
	"consent_email_at" timestamp with time zone DEFAULT now() NOT NULL,
	"consent_email_source" text DEFAULT 'api' NOT NULL,
	"next_birthday_at" timestamp with time zone,
	"last_birthday_on" text,
	"unsubscribe_nonce" text DEFAULT replace(gen_random_uuid()::text, '-', '') NOT NULL,
	"order_count" integer DEFAULT 0 NOT NULL,
	"first_order_at" timestamp with time zone,
	"last_order_at" timestamp with time zone,
	"erased_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contacts_external_id_unique" UNIQUE("external_id")
);
--> statement-breakpoint
CREATE TABLE "suppressions" (
	"channel" text NOT NULL,
	"address" text NOT NULL,
	"reason" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suppressions_channel_address_pk" PRIMARY KEY("channel","address")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"external_id" text NOT NULL,
	"contact_id" uuid NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"currency" text NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'placed' NOT NULL,
	"follow_up_pending" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_external_id_unique" UNIQUE("external_id")
);
--> statement-breakpoint
CREATE TABLE "templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"channel" text NOT NULL,
	"locale" text NOT NULL,
	"variant" text DEFAULT '' NOT NULL,
	"version" integer NOT NULL,
	"is_current" boolean DEFAULT true NOT NULL,
	"subject" text,
	"body" text NOT NULL,
	"html" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message_id" uuid NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dedupe_key" text NOT NULL,
	"contact_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"template_key" text,
	"body_template" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"campaign_id" uuid,
	"resend_of" uuid,
	"to_address" text,
	"subject" text,
	"body" text,
	"provider" text,
	"provider_message_id" text,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "messages_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "provider_events" (
	"provider_message_id" text NOT NULL,
	"status" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provider_events_provider_message_id_status_pk" PRIMARY KEY("provider_message_id","status")
);
--> statement-breakpoint
CREATE TABLE "campaign_runs" (
	"campaign_id" uuid NOT NULL,
	"occurrence" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"cursor" uuid,
	"created" integer DEFAULT 0 NOT NULL,
	"missed" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "campaign_runs_campaign_id_occurrence_pk" PRIMARY KEY("campaign_id","occurrence")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"holiday_key" text,
	"send_at" timestamp with time zone,
	"send_local" jsonb,
	"segment_id" uuid,
	"filter" jsonb,
	"template_key" text NOT NULL,
	"channels" text[] NOT NULL,
	"recurrence" text,
	"recurrence_time_zone" text,
	"force" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"next_run_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "custom_holidays" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"names" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"calendar" text NOT NULL,
	"month" smallint NOT NULL,
	"day" smallint NOT NULL,
	"greeting" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "custom_holidays_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "segments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"filter" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contacts_next_birthday_at_idx" ON "contacts" USING btree ("next_birthday_at");--> statement-breakpoint
CREATE INDEX "contacts_phone_idx" ON "contacts" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "contacts_email_idx" ON "contacts" USING btree ("email");--> statement-breakpoint
CREATE INDEX "contacts_tags_idx" ON "contacts" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "contacts_unsubscribe_nonce_idx" ON "contacts" USING btree ("unsubscribe_nonce");--> statement-breakpoint
CREATE INDEX "orders_contact_placed_idx" ON "orders" USING btree ("contact_id","placed_at");--> statement-breakpoint
CREATE INDEX "orders_follow_up_pending_idx" ON "orders" USING btree ("created_at") WHERE follow_up_pending;--> statement-breakpoint
CREATE UNIQUE INDEX "templates_identity_version_idx" ON "templates" USING btree ("key","channel","locale","variant","version");--> statement-breakpoint
CREATE UNIQUE INDEX "templates_current_idx" ON "templates" USING btree ("key","channel","locale","variant") WHERE "templates"."is_current";--> statement-breakpoint
CREATE INDEX "templates_key_idx" ON "templates" USING btree ("key","channel");--> statement-breakpoint
CREATE INDEX "message_events_message_idx" ON "message_events" USING btree ("message_id","id");--> statement-breakpoint
CREATE INDEX "messages_status_scheduled_idx" ON "messages" USING btree ("status","scheduled_at");--> statement-breakpoint
CREATE INDEX "messages_contact_idx" ON "messages" USING btree ("contact_id","created_at");--> statement-breakpoint
CREATE INDEX "messages_campaign_idx" ON "messages" USING btree ("campaign_id","status");--> statement-breakpoint
CREATE INDEX "messages_provider_id_idx" ON "messages" USING btree ("provider_message_id");--> statement-breakpoint
CREATE INDEX "campaigns_status_next_run_idx" ON "campaigns" USING btree ("status","next_run_at");