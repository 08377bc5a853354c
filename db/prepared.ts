import type { Database } from "./index.ts";

/**
 * A query built once per database and from then on only run with new values, as a named
 * PostgreSQL prepared statement. Drizzle otherwise rebuilds a query's SQL on every call and
 * PostgreSQL re-plans it: a third of the web process's CPU on the hottest reads (a session,
 * a community, a feed, a thread), which use this; the rest of the code need not.
 */
export function preparedFor<Query>(build: (db: Database) => Query): (db: Database) => Query {
  const built = new WeakMap<Database, Query>();
  return (db) => {
    let query = built.get(db);
    if (!query) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}
