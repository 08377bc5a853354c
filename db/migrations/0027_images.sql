-- A person's avatar and a community's banner, as the storage key prefix of their resized
-- sizes (server/services/images.ts); null when none was uploaded.
ALTER TABLE "accounts" ADD COLUMN "avatar" text;--> statement-breakpoint
ALTER TABLE "communities" ADD COLUMN "banner" text;
