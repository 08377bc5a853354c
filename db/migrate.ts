import { migrate } from "drizzle-orm/postgres-js/migrator";
import { projectPath } from "../server/project-root.ts";
import type { Database } from "./index.ts";

export const migrationsFolder = projectPath("db", "migrations");

export async function runMigrations(db: Database): Promise<void> {
  await migrate(db, { migrationsFolder });
}
