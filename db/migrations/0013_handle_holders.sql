DROP INDEX "accounts_username_key";--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "holds_handle" boolean DEFAULT true NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_handle_key" ON "accounts" USING btree (lower("username"),coalesce("domain", '')) WHERE "accounts"."holds_handle";