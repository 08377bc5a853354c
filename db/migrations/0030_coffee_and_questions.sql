-- Coffee connections: who in a community takes part in its rounds, and every pair a round
-- made (a group of three is kept as its three pairs), so that later rounds avoid them.
-- Direct connect: a member's question to the community's facilitators, who may hand it to a
-- resource person to answer.
ALTER TYPE "public"."notification_kind" ADD VALUE 'coffee_pairing';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'question_asked';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'question_assigned';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'question_answered';--> statement-breakpoint
CREATE TYPE "public"."question_state" AS ENUM('open', 'assigned', 'answered');--> statement-breakpoint
CREATE TABLE "coffee_participants" (
	"community_id" uuid NOT NULL REFERENCES "communities"("id") ON DELETE cascade,
	"account_id" uuid NOT NULL REFERENCES "accounts"("id") ON DELETE cascade,
	"opted_in_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	PRIMARY KEY ("community_id", "account_id")
);--> statement-breakpoint
CREATE TABLE "coffee_pairs" (
	"community_id" uuid NOT NULL REFERENCES "communities"("id") ON DELETE cascade,
	"a_id" uuid NOT NULL REFERENCES "accounts"("id") ON DELETE cascade,
	"b_id" uuid NOT NULL REFERENCES "accounts"("id") ON DELETE cascade,
	"round" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "coffee_pairs_ordered" CHECK ("a_id" < "b_id"),
	PRIMARY KEY ("community_id", "a_id", "b_id", "round")
);--> statement-breakpoint
CREATE TABLE "questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL REFERENCES "communities"("id") ON DELETE cascade,
	"asker_id" uuid NOT NULL REFERENCES "accounts"("id") ON DELETE cascade,
	"body" text NOT NULL,
	"state" "question_state" DEFAULT 'open' NOT NULL,
	"assignee_id" uuid REFERENCES "accounts"("id") ON DELETE set null,
	"answer" text,
	"created_at" timestamp(3) with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp(3) with time zone
);--> statement-breakpoint
CREATE INDEX "questions_community_state_idx" ON "questions" USING btree ("community_id","state","created_at");--> statement-breakpoint
CREATE INDEX "questions_asker_idx" ON "questions" USING btree ("asker_id");--> statement-breakpoint
CREATE INDEX "questions_assignee_idx" ON "questions" USING btree ("assignee_id");
