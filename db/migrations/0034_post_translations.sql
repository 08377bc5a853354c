-- Content in several languages (issue 18): a post's translations, by people or a machine,
-- searched as the post is; and the members a community asks to translate.
CREATE TYPE "translation_origin" AS ENUM ('human', 'machine');--> statement-breakpoint
CREATE TABLE "post_translations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"post_id" uuid NOT NULL REFERENCES "posts" ("id") ON DELETE CASCADE,
	"language" text NOT NULL,
	"title" text NOT NULL,
	"source" text NOT NULL,
	"content" text NOT NULL,
	"origin" "translation_origin" NOT NULL,
	"translator_id" uuid REFERENCES "accounts" ("id") ON DELETE SET NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"search" tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector(praxis_search_config("language"), "title"), 'A') ||
		setweight(to_tsvector(praxis_search_config("language"), "source"), 'B')
	) STORED,
	CONSTRAINT "post_translations_post_language_key" UNIQUE ("post_id", "language")
);--> statement-breakpoint
CREATE INDEX "post_translations_search_idx" ON "post_translations" USING gin ("search");--> statement-breakpoint
CREATE TABLE "community_translators" (
	"community_id" uuid NOT NULL REFERENCES "communities" ("id") ON DELETE CASCADE,
	"account_id" uuid NOT NULL REFERENCES "accounts" ("id") ON DELETE CASCADE,
	"appointed_by_id" uuid REFERENCES "accounts" ("id") ON DELETE SET NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "community_translators_pkey" PRIMARY KEY ("community_id", "account_id")
);
