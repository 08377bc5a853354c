ALTER TYPE "public"."mail_frequency" ADD VALUE 'weekly' AFTER 'daily';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'community_dormant';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'join_requests_waiting';--> statement-breakpoint
CREATE TABLE "community_health" (
	"community_id" uuid PRIMARY KEY NOT NULL,
	"dormant_since" timestamp (3) with time zone,
	"requests_reminded_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "community_health" ADD CONSTRAINT "community_health_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;
