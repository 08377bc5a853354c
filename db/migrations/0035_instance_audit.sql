-- The instance administrator's decisions that concern no community (issue 17): registrations,
-- server blocks, instance settings, reports about messages. They join the audit log with no
-- community, read only by the instance administrator.
ALTER TABLE "audit_entries" ALTER COLUMN "community_id" DROP NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_entries_instance_idx" ON "audit_entries" USING btree ("created_at") WHERE "audit_entries"."community_id" is null;
