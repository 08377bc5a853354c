/**
 * How long full-text search takes over 10,000 posts in 100 communities (20 private), on a
 * throwaway embedded PostgreSQL. Prints figures; asserts nothing. Run: npm run bench:search
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { ensureDatabase, startEmbeddedPostgres } from "../db/embedded.ts";
import { connect } from "../db/index.ts";
import { runMigrations } from "../db/migrate.ts";
import { loadConfig } from "../server/config.ts";
import { createDeps } from "../server/deps.ts";
import { search } from "../server/services/search.ts";

const words = {
  en: "social protection cash transfers households resilience shock responsive programme coverage evaluation targeting".split(
    " ",
  ),
  fr: "protection sociale transferts monétaires ménages résilience chocs programme couverture évaluation ciblage".split(
    " ",
  ),
  es: "protección social transferencias monetarias hogares resiliencia choques programa cobertura evaluación focalización".split(
    " ",
  ),
  pt: "proteção social transferências monetárias famílias resiliência choques programa cobertura avaliação focalização".split(
    " ",
  ),
};
const languages = Object.keys(words) as (keyof typeof words)[];

function sentence(language: keyof typeof words, seed: number, length: number): string {
  const pool = words[language];
  return Array.from({ length }, (_, i) => pool[(seed * 7 + i * 13) % pool.length]).join(" ");
}

const directory = await mkdtemp(join(tmpdir(), "praxis-bench-"));
const server = await startEmbeddedPostgres(join(directory, "postgres"));
try {
  await ensureDatabase(server.serverUrl, "bench");
  const connection = connect(server.url("bench"));
  await runMigrations(connection.db);
  const config = loadConfig({ DATA_DIR: directory, LOG_LEVEL: "error" });
  const deps = createDeps(config, connection.db);
  const db = connection.db;

  const [owner] = await db.execute<{ id: string }>(
    sql`insert into accounts (username, email, password_hash) values ('bench', 'bench@example.org', 'x') returning id`,
  );
  await db.execute(sql`
    insert into communities (slug, name, privacy)
    select 'c' || i, 'Community ' || i, case when i % 5 = 0 then 'private'::privacy_level else 'open'::privacy_level end
    from generate_series(1, 100) as i`);
  await db.execute(sql`
    insert into memberships (community_id, account_id, role, state)
    select id, ${owner?.id}, 'owner', 'active' from communities`);
  const started = performance.now();
  const communityIds = (
    await db.execute<{ id: string }>(sql`select id from communities order by slug`)
  ).map((r) => r.id);
  for (let batch = 0; batch < 10; batch++) {
    const values = Array.from({ length: 1000 }, (_, j) => {
      const n = batch * 1000 + j;
      const language = languages[n % languages.length] ?? "en";
      const text = sentence(language, n, 60);
      return sql`(${communityIds[n % communityIds.length]}::uuid, ${owner?.id}::uuid, 'discussion', ${sentence(language, n + 1, 6)}, ${text}, ${`<p>${text}</p>`}, ${language})`;
    });
    await db.execute(
      sql`insert into posts (community_id, author_id, kind, title, source, content, language) values ${sql.join(values, sql`, `)}`,
    );
  }
  console.log(`inserted 10,000 posts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await db.execute(sql`analyze`);

  const viewer = { id: "00000000-0000-0000-0000-000000000000" } as Parameters<typeof search>[1];
  const queries = [
    "resilience",
    "protecao social",
    "transferts monétaires",
    "focalización hogares",
    "nothingmatches",
  ];
  for (const q of queries) {
    await search(deps, viewer, { q, limit: 20 });
    const runs = 20;
    const t0 = performance.now();
    let hits = 0;
    for (let i = 0; i < runs; i++)
      hits = (await search(deps, viewer, { q, limit: 20 })).items.length;
    console.log(
      `search "${q}": ${((performance.now() - t0) / runs).toFixed(1)} ms per query (${hits} hits shown)`,
    );
  }
  await connection.close();
} finally {
  await server.stop();
  await rm(directory, { recursive: true, force: true });
}
