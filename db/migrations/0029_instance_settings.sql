-- What the instance administrator says about this server (its name, description, rules and,
-- when set, the registration mode, which otherwise REGISTRATION_MODE gives): one row at most.
CREATE TABLE "instance_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL CHECK ("id"),
	"name" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"rules" text[] DEFAULT '{}'::text[] NOT NULL,
	"registration_mode" text CHECK ("registration_mode" IN ('open', 'approval', 'invite')),
	"updated_at" timestamp(3) with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
-- A report may be about a person (their conduct in the community), with no post at all.
ALTER TABLE "reports" ALTER COLUMN "post_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "subject_account_id" uuid REFERENCES "accounts"("id") ON DELETE cascade;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_about_something" CHECK ("post_id" IS NOT NULL OR "subject_account_id" IS NOT NULL);--> statement-breakpoint
CREATE UNIQUE INDEX "reports_one_open_per_reporter_and_person" ON "reports" USING btree ("reporter_id","community_id","subject_account_id") WHERE "reports"."state" = 'open' AND "reports"."post_id" IS NULL;--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE IF NOT EXISTS 'report_decided';
