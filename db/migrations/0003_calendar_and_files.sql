CREATE TYPE "public"."rsvp_status" AS ENUM('going', 'not_going');--> statement-breakpoint
ALTER TYPE "public"."post_kind" ADD VALUE 'event';--> statement-breakpoint
ALTER TYPE "public"."post_kind" ADD VALUE 'file';--> statement-breakpoint
CREATE TABLE "event_details" (
	"post_id" uuid PRIMARY KEY NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"timezone" text NOT NULL,
	"location" text DEFAULT '' NOT NULL,
	"online_url" text,
	"webinar" boolean DEFAULT false NOT NULL,
	"recording_url" text,
	"slides_url" text
);
--> statement-breakpoint
CREATE TABLE "rsvps" (
	"post_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"status" "rsvp_status" NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rsvps_post_id_account_id_pk" PRIMARY KEY("post_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "attachments" (
	"post_id" uuid NOT NULL,
	"file_post_id" uuid NOT NULL,
	CONSTRAINT "attachments_post_id_file_post_id_pk" PRIMARY KEY("post_id","file_post_id")
);
--> statement-breakpoint
CREATE TABLE "file_details" (
	"post_id" uuid PRIMARY KEY NOT NULL,
	"category" text DEFAULT '' NOT NULL,
	"private" boolean DEFAULT false NOT NULL,
	"filename" text NOT NULL,
	"media_type" text NOT NULL,
	"size" bigint NOT NULL,
	"storage_key" text NOT NULL,
	"downloads" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "event_details" ADD CONSTRAINT "event_details_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rsvps" ADD CONSTRAINT "rsvps_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rsvps" ADD CONSTRAINT "rsvps_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_file_post_id_posts_id_fk" FOREIGN KEY ("file_post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "file_details" ADD CONSTRAINT "file_details_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_details_starts_idx" ON "event_details" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "file_details_category_idx" ON "file_details" USING btree ("category");