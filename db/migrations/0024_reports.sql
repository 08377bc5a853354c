-- Reports about posts and comments, from people here and from other servers' Flags, with the
-- moderators' decision on each.
CREATE TYPE "public"."report_category" AS ENUM('spam', 'harassment', 'child_safety', 'other');--> statement-breakpoint
CREATE TYPE "public"."report_state" AS ENUM('open', 'resolved', 'dismissed');--> statement-breakpoint
CREATE TABLE "reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reporter_id" uuid NOT NULL REFERENCES "accounts"("id") ON DELETE cascade,
	"community_id" uuid NOT NULL REFERENCES "communities"("id") ON DELETE cascade,
	"post_id" uuid NOT NULL REFERENCES "posts"("id") ON DELETE cascade,
	"comment_id" uuid REFERENCES "comments"("id") ON DELETE cascade,
	"category" "report_category" NOT NULL,
	"reason" text NOT NULL,
	"forward" boolean DEFAULT false NOT NULL,
	"flag_uri" text,
	"state" "report_state" DEFAULT 'open' NOT NULL,
	"resolution_note" text,
	"resolved_by_id" uuid REFERENCES "accounts"("id") ON DELETE set null,
	"resolved_at" timestamp(3) with time zone,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX "reports_one_open_per_reporter" ON "reports" USING btree ("reporter_id","post_id",coalesce("comment_id", '00000000-0000-0000-0000-000000000000'::uuid)) WHERE "reports"."state" = 'open' AND "reports"."flag_uri" IS NULL;--> statement-breakpoint
CREATE INDEX "reports_community_state_idx" ON "reports" USING btree ("community_id","state","created_at");--> statement-breakpoint
CREATE INDEX "reports_state_idx" ON "reports" USING btree ("state","created_at");
