CREATE TABLE "queued_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"queue" text NOT NULL,
	"payload" jsonb NOT NULL,
	"ordering_key" text,
	"deliver_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"leased_until" timestamp (3) with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "queued_messages_due_idx" ON "queued_messages" USING btree ("queue","deliver_at","id");--> statement-breakpoint
CREATE INDEX "queued_messages_ordering_idx" ON "queued_messages" USING btree ("queue","ordering_key","id");