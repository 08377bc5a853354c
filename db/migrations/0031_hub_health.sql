-- The hub's health loop (issue 16): a dormant community's admins may plan its next activity,
-- which keeps it active until that day passes; facilitators feature posts for the weekly mail.
ALTER TABLE "communities" ADD COLUMN "activity_planned_for" date;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "digest_featured_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "posts_digest_featured_idx" ON "posts" ("digest_featured_at") WHERE "digest_featured_at" IS NOT NULL;
