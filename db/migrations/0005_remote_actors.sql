DROP INDEX "accounts_username_key";--> statement-breakpoint
DROP INDEX "communities_slug_key";--> statement-breakpoint
ALTER TABLE "accounts" ALTER COLUMN "email" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ALTER COLUMN "password_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "domain" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "uri" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "inbox" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "shared_inbox" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "followers" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "fetched_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "communities" ADD COLUMN "domain" text;--> statement-breakpoint
ALTER TABLE "communities" ADD COLUMN "uri" text;--> statement-breakpoint
ALTER TABLE "communities" ADD COLUMN "inbox" text;--> statement-breakpoint
ALTER TABLE "communities" ADD COLUMN "shared_inbox" text;--> statement-breakpoint
ALTER TABLE "communities" ADD COLUMN "followers" text;--> statement-breakpoint
ALTER TABLE "communities" ADD COLUMN "fetched_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "follow_uri" text;--> statement-breakpoint
ALTER TABLE "comments" ADD COLUMN "uri" text;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "uri" text;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_uri_key" ON "accounts" USING btree ("uri");--> statement-breakpoint
CREATE UNIQUE INDEX "communities_uri_key" ON "communities" USING btree ("uri");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_username_key" ON "accounts" USING btree (lower("username"),coalesce("domain", ''));--> statement-breakpoint
CREATE UNIQUE INDEX "communities_slug_key" ON "communities" USING btree (lower("slug"),coalesce("domain", ''));--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_uri_unique" UNIQUE("uri");--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_uri_unique" UNIQUE("uri");