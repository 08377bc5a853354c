-- Accent-insensitive full-text search per language: each configuration folds accents
-- (unaccent) before stemming, so "protecao" finds "proteção".
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION praxis_en (COPY = english);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION praxis_en ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION praxis_fr (COPY = french);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION praxis_fr ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION praxis_es (COPY = spanish);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION praxis_es ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION praxis_pt (COPY = portuguese);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION praxis_pt ALTER MAPPING FOR hword, hword_part, word WITH unaccent, portuguese_stem;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION praxis_simple (COPY = simple);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION praxis_simple ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
--> statement-breakpoint
-- Arabic and every other language use the simple configuration.
CREATE FUNCTION praxis_search_config(language text) RETURNS regconfig
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE language
      WHEN 'en' THEN 'praxis_en'::regconfig
      WHEN 'fr' THEN 'praxis_fr'::regconfig
      WHEN 'es' THEN 'praxis_es'::regconfig
      WHEN 'pt' THEN 'praxis_pt'::regconfig
      ELSE 'praxis_simple'::regconfig
    END
  $$;
