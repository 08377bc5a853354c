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

export function connect(url: string, options: { max?: number } = {}): Connection {
  const sql = withReservedTransactions(
    postgres(url, {
      max: options.max ?? 10,
      onnotice: () => {},
      connection: { application_name: "praxis" },
    }),
  );
  const db = drizzle(sql, { schema, casing: "snake_case" });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

export { schema };
