-- A direct message can be reported (issue 17). It belongs to no community: such a report is for
-- the instance administrator alone, so a report's community becomes optional.
ALTER TABLE "reports" ADD COLUMN "message_id" uuid;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ALTER COLUMN "community_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "reports" DROP CONSTRAINT "reports_about_something";--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_about_something" CHECK ("post_id" IS NOT NULL OR "subject_account_id" IS NOT NULL OR "message_id" IS NOT NULL);--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_in_a_community" CHECK ("community_id" IS NOT NULL OR "message_id" IS NOT NULL);--> statement-breakpoint
CREATE UNIQUE INDEX "reports_one_open_per_reporter_and_message" ON "reports" USING btree ("reporter_id","message_id") WHERE "reports"."state" = 'open' AND "reports"."message_id" IS NOT NULL;
