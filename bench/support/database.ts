import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDatabase, startEmbeddedPostgres } from "../../db/embedded.ts";
import { type Connection, connect } from "../../db/index.ts";
import { runMigrations } from "../../db/migrate.ts";

export interface BenchDatabase extends Connection {
  url: string;
  /** A scratch directory for this run, removed at the end (data, uploads, mail). */
  directory: string;
}

/** A throwaway embedded PostgreSQL holding Praxis's schema, for one benchmark run. */
export async function startBenchDatabase(): Promise<BenchDatabase> {
  const directory = await mkdtemp(join(tmpdir(), "praxis-bench-"));
  const server = await startEmbeddedPostgres(join(directory, "postgres"));
  await ensureDatabase(server.serverUrl, "bench");
  const url = server.url("bench");
  const connection = connect(url);
  await runMigrations(connection.db);
  return {
    ...connection,
    url,
    directory,
    async close() {
      await connection.close();
      await server.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
