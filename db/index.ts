import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema/index.ts";
import { withReservedTransactions } from "./transactions.ts";

export type Database = PostgresJsDatabase<typeof schema>;
/** A database handle or an open transaction: services accept either. */
export type Executor = Pick<
  Database,
  "select" | "insert" | "update" | "delete" | "execute" | "transaction" | "query" | "$count"
>;

export interface Connection {
  db: Database;
  sql: postgres.Sql;
  close(): Promise<void>;
}

/**
 * Seconds a connection waits before connecting again after its last one failed, by failures
 * in a row. postgres.js's own delay grows to 20 s, and a query waits it out: after a minute
 * of outage a request would wait that long for its 503, and the pool as long to see the
 * database back.
 */
function reconnectDelaySeconds(failures: number): number {
  return Math.min(0.05 * 2 ** failures, 1);
}

export function connect(url: string, options: { max?: number } = {}): Connection {
  const sql = withReservedTransactions(
    postgres(url, {
      max: options.max ?? 10,
      onnotice: () => {},
      connection: { application_name: "praxis" },
      backoff: reconnectDelaySeconds,
      // A database that does not answer at all is given up on sooner than postgres.js's 30 s.
      connect_timeout: 10,
    }),
  );
  const db = drizzle(sql, { schema, casing: "snake_case" });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

export { schema };
