-- What a person tells others about themselves: a plain-text bio, the languages they speak
-- (BCP 47 tags), the topics they know about, and whether they offer to be a resource person
-- whom others may ask. The finder of resource people reads only those who opted in.
ALTER TABLE "accounts" ADD COLUMN "bio" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "languages" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "expertise" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "resource_person" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "accounts_resource_people_idx" ON "accounts" USING btree ("created_at","id") WHERE "accounts"."resource_person";
