import { join } from "node:path";
import { ensureDatabase, startEmbeddedPostgres } from "./embedded.ts";
import { type Connection, connect } from "./index.ts";
import { runMigrations } from "./migrate.ts";

export interface OpenDatabase {
  connection: Connection;
  /** Closes the pool and, for the embedded server, shuts PostgreSQL down cleanly. */
  close(): Promise<void>;
}

/**
 * Connects to `databaseUrl`, or starts the embedded PostgreSQL kept under
 * `dataDir/postgres` when there is none, then brings the schema up to date.
 */
export async function openDatabase(options: {
  databaseUrl: string | undefined;
  dataDir: string;
  log?: (line: string) => void;
}): Promise<OpenDatabase> {
  const embedded = options.databaseUrl
    ? undefined
    : await startEmbeddedPostgres(join(options.dataDir, "postgres"), { log: options.log });
  try {
    if (embedded) await ensureDatabase(embedded.serverUrl, "praxis");
    const connection = connect(
      options.databaseUrl ?? (embedded as NonNullable<typeof embedded>).url("praxis"),
    );
    // Several processes may start at once against one database; one migrates at a time.
    const lock = await connection.sql.reserve();
    try {
      await lock`select pg_advisory_lock(hashtext('praxis.migrations'))`;
      await runMigrations(connection.db);
    } finally {
      await lock`select pg_advisory_unlock(hashtext('praxis.migrations'))`;
      lock.release();
    }
    return {
      connection,
      async close() {
        await connection.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
