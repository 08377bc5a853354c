-- Whether a remote person's own document carries Praxis's terms: their server then keeps a
-- community's members-only posts for its members, and the others get them as private mentions.
ALTER TABLE "accounts" ADD COLUMN "speaks_praxis" boolean DEFAULT false NOT NULL;
