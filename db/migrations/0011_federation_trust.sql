CREATE TABLE "received_activities" (
	"id" text PRIMARY KEY NOT NULL,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tombstones" (
	"object_uri" text NOT NULL,
	"deleted_by" text NOT NULL,
	"deleted_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tombstones_object_uri_deleted_by_pk" PRIMARY KEY("object_uri","deleted_by")
);
--> statement-breakpoint
-- Links kept from other servers before only http(s) ones were: an event's online link that
-- is not one goes, and so does a copy of a file elsewhere whose address is not one.
UPDATE "event_details" SET "online_url" = NULL WHERE "online_url" !~* '^https?://';--> statement-breakpoint
UPDATE "posts" SET "title" = '', "source" = '', "content" = '', "deleted_at" = now(), "updated_at" = now()
WHERE "uri" IS NOT NULL AND "deleted_at" IS NULL
  AND "id" IN (SELECT "post_id" FROM "file_details" WHERE "storage_key" !~* '^https?://');
