-- Who sees a person's profession, organisation and country: everyone, the members of a
-- community they meet in, or its admins. Everyone by default, as before the choice existed:
-- a partner's admins read a requester's profile from their actor, which carries it only then.
CREATE TYPE "public"."profile_audience" AS ENUM('everyone', 'members', 'admins');--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "profile_audience" "profile_audience" DEFAULT 'everyone' NOT NULL;
