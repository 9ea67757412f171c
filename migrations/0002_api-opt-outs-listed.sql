-- Opt-outs stated through the API or an import before they joined the suppression list (issue 11):
-- list each such address once, as the shop's own (source 'api'), so it survives deleting the contact
-- and covers every contact sharing the address. Listings that exist already are kept as they are.
INSERT INTO "suppressions" ("channel", "address", "reason", "source")
SELECT DISTINCT 'sms', "phone", 'consent withdrawn through the API (listed on upgrade)', 'api'
FROM "contacts"
WHERE NOT "consent_sms" AND "consent_sms_source" IN ('api', 'import') AND "phone" IS NOT NULL AND "erased_at" IS NULL
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "suppressions" ("channel", "address", "reason", "source")
SELECT DISTINCT 'email', "email", 'consent withdrawn through the API (listed on upgrade)', 'api'
FROM "contacts"
WHERE NOT "consent_email" AND "consent_email_source" IN ('api', 'import') AND "email" IS NOT NULL AND "erased_at" IS NULL
ON CONFLICT DO NOTHING;--> statement-breakpoint
-- Every other live contact holding such an address loses consent too, as a new opt-out does.
UPDATE "contacts" c SET
  "consent_sms" = false, "consent_sms_at" = now(), "consent_sms_source" = 'api', "updated_at" = now()
WHERE c."consent_sms" AND c."erased_at" IS NULL AND c."phone" IN (
  SELECT "address" FROM "suppressions" WHERE "channel" = 'sms' AND "source" = 'api');--> statement-breakpoint
UPDATE "contacts" c SET
  "consent_email" = false, "consent_email_at" = now(), "consent_email_source" = 'api', "updated_at" = now()
WHERE c."consent_email" AND c."erased_at" IS NULL AND c."email" IN (
  SELECT "address" FROM "suppressions" WHERE "channel" = 'email' AND "source" = 'api');
