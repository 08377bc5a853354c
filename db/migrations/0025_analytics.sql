-- First-party analytics (issue 16): views per item and day, day-salted marks deleted with their
-- day, members' last read within 30 days, and joins and leaves as a trigger writes them.
CREATE TABLE "analytics_daily_views" (
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"item_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"viewers" integer NOT NULL,
	CONSTRAINT "analytics_daily_views_day_kind_item_id_pk" PRIMARY KEY("day","kind","item_id")
);
--> statement-breakpoint
CREATE TABLE "analytics_day_salts" (
	"day" date PRIMARY KEY NOT NULL,
	"salt" bytea NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_view_marks" (
	"day" date NOT NULL,
	"mark" bytea NOT NULL,
	CONSTRAINT "analytics_view_marks_day_mark_pk" PRIMARY KEY("day","mark")
);
--> statement-breakpoint
CREATE TABLE "analytics_member_reads" (
	"community_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"read_on" date NOT NULL,
	CONSTRAINT "analytics_member_reads_community_id_account_id_pk" PRIMARY KEY("community_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "analytics_membership_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"change" text NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "analytics_daily_views" ADD CONSTRAINT "analytics_daily_views_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_member_reads" ADD CONSTRAINT "analytics_member_reads_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_member_reads" ADD CONSTRAINT "analytics_member_reads_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_membership_changes" ADD CONSTRAINT "analytics_membership_changes_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "analytics_daily_views_community_idx" ON "analytics_daily_views" USING btree ("community_id","day");--> statement-breakpoint
CREATE INDEX "analytics_membership_changes_community_idx" ON "analytics_membership_changes" USING btree ("community_id","at");--> statement-breakpoint
-- Every way into or out of active membership passes through this table, so a trigger sees
-- them all. A community being deleted takes its memberships with it: no change is written then.
CREATE FUNCTION "analytics_record_membership_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'DELETE' AND NEW.state = 'active' AND (TG_OP = 'INSERT' OR OLD.state <> 'active') THEN
		INSERT INTO analytics_membership_changes (community_id, change)
		SELECT NEW.community_id, 'joined' WHERE EXISTS (SELECT 1 FROM communities WHERE id = NEW.community_id);
	END IF;
	IF TG_OP <> 'INSERT' AND OLD.state = 'active' AND (TG_OP = 'DELETE' OR NEW.state <> 'active') THEN
		INSERT INTO analytics_membership_changes (community_id, change)
		SELECT OLD.community_id, 'left' WHERE EXISTS (SELECT 1 FROM communities WHERE id = OLD.community_id);
	END IF;
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "memberships_analytics_changes" AFTER INSERT OR UPDATE OF "state" OR DELETE ON "memberships"
	FOR EACH ROW EXECUTE FUNCTION "analytics_record_membership_change"();--> statement-breakpoint
-- Members from before analytics count as having joined when they did.
INSERT INTO "analytics_membership_changes" ("community_id", "change", "at")
	SELECT "community_id", 'joined', coalesce("decided_at", "created_at") FROM "memberships" WHERE "state" = 'active';
