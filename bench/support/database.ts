import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ensureDatabase, startEmbeddedPostgres } from "../../db/embedded.ts";
import { type Connection, connect } from "../../db/index.ts";
import { runMigrations } from "../../db/migrate.ts";

export interface BenchDatabase extends Connection {
  url: string;
  /** A scratch directory for this run, removed at the end (data, uploads, mail). */
  directory: string;
  /**
   * The SQL statements sent while `work` runs, from PostgreSQL's own log: a count that, unlike
   * a rate, does not move with the machine's load. The benchmark's own queries are left out
   * when they carry `benchQuery` (a comment).
   */
  statementsDuring(work: () => Promise<void>): Promise<number>;
}

/** Marks a query of the benchmark's own, so that `statementsDuring` does not count it. */
export const benchQuery = "/* bench */";

/** A statement PostgreSQL logged (`log_statement = 'all'`), simple or extended protocol. */
const loggedStatement = /LOG:\s+(statement|execute [^:]*):/;

/** A throwaway embedded PostgreSQL holding Praxis's schema, for one benchmark run. */
export async function startBenchDatabase(): Promise<BenchDatabase> {
  const directory = await mkdtemp(join(tmpdir(), "praxis-bench-"));
  let logged: string[] | null = null;
  const server = await startEmbeddedPostgres(join(directory, "postgres"), {
    log: (chunk) => logged?.push(chunk),
  });
  await ensureDatabase(server.serverUrl, "bench");
  const url = server.url("bench");
  const connection = connect(url);
  await runMigrations(connection.db);
  const logStatements = async (value: "all" | "none") => {
    await connection.sql.unsafe(`alter system ${benchQuery} set log_statement = '${value}'`);
    await connection.sql.unsafe(`select ${benchQuery} pg_reload_conf()`);
    // Each backend takes the new setting when the postmaster's signal reaches it.
    await sleep(200);
  };
  return {
    ...connection,
    url,
    directory,
    async statementsDuring(work) {
      logged = [];
      await logStatements("all");
      try {
        await work();
      } finally {
        await logStatements("none");
      }
      const lines = logged.join("").split("\n");
      logged = null;
      // A statement's text may start on the line after its LOG line; the marker is in either.
      return lines.filter(
        (line, i) =>
          loggedStatement.test(line) && !`${line}${lines[i + 1] ?? ""}`.includes(benchQuery),
      ).length;
    },
    async close() {
      await connection.close();
      await server.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
