-- Partners' counts on the hub (issue 16): what a partner that opted in shares of each of its
-- communities (aggregates over its last 30 days, never people), kept on the hub's copy.
CREATE TABLE "partner_community_counts" (
	"community_id" uuid PRIMARY KEY NOT NULL REFERENCES "communities"("id") ON DELETE CASCADE,
	"views" integer NOT NULL,
	"downloads" integer NOT NULL,
	"joins" integer NOT NULL,
	"active_members" integer NOT NULL,
	"counted_to" date NOT NULL,
	"read_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
