import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { type Connection, connect } from "../../db/index.ts";

/** A new database copied from the migrated template, for one test file. */
export async function freshDatabase(): Promise<Connection & { url: string }> {
  const serverUrl = inject("databaseServerUrl");
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(`${serverUrl}/postgres`, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name} template praxis_template`);
  } finally {
    await admin.end();
  }
  const url = `${serverUrl}/${name}`;
  const connection = connect(url, { max: 5 });
  return {
    ...connection,
    url,
    async close() {
      await connection.close();
      const cleanup = postgres(`${serverUrl}/postgres`, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
