ALTER TABLE "communities" ADD COLUMN "topics" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "communities" ADD COLUMN "languages" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "communities" ADD COLUMN "countries" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "communities" ADD COLUMN "last_activity_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
UPDATE "communities" SET "last_activity_at" = greatest(
  "created_at",
  (SELECT max("created_at") FROM "posts" WHERE "posts"."community_id" = "communities"."id"),
  (SELECT max("comments"."created_at") FROM "comments"
    JOIN "posts" ON "posts"."id" = "comments"."post_id"
    WHERE "posts"."community_id" = "communities"."id")
);--> statement-breakpoint
-- A community's last activity moves with every post or comment, written here or copied from
-- elsewhere, whichever service wrote it; it never moves back (an old post read late).
CREATE FUNCTION "praxis_post_is_activity"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "communities" SET "last_activity_at" = NEW."created_at"
  WHERE "id" = NEW."community_id" AND "last_activity_at" < NEW."created_at";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "praxis_comment_is_activity"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "communities" SET "last_activity_at" = NEW."created_at"
  FROM "posts"
  WHERE "posts"."id" = NEW."post_id" AND "communities"."id" = "posts"."community_id"
    AND "communities"."last_activity_at" < NEW."created_at";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "posts_are_activity" AFTER INSERT ON "posts"
  FOR EACH ROW EXECUTE FUNCTION "praxis_post_is_activity"();--> statement-breakpoint
CREATE TRIGGER "comments_are_activity" AFTER INSERT ON "comments"
  FOR EACH ROW EXECUTE FUNCTION "praxis_comment_is_activity"();
