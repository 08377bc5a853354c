import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { ensureDatabase, startEmbeddedPostgres } from "../../db/embedded.ts";
import { connect } from "../../db/index.ts";
import { runMigrations } from "../../db/migrate.ts";

export const templateDatabase = "praxis_template";

declare module "vitest" {
  export interface ProvidedContext {
    databaseServerUrl: string;
  }
}

/**
 * The servers the tests start run compiled, as `npm start` runs them: the sources are built
 * once per run when they changed (a stale copy would test yesterday's code).
 */
function buildServer(): void {
  execFileSync("npm", ["run", "-s", "ensure-built:server"], { stdio: "inherit" });
}

/**
 * The compiled server, and one PostgreSQL server for the whole run with a migrated template
 * each test file copies.
 */
export default async function setup(project: TestProject) {
  buildServer();
  const directory = await mkdtemp(join(tmpdir(), "praxis-test-pg-"));
  const server = await startEmbeddedPostgres(join(directory, "postgres"));
  await ensureDatabase(server.serverUrl, templateDatabase);
  const template = connect(server.url(templateDatabase), { max: 1 });
  await runMigrations(template.db);
  await template.close();
  project.provide("databaseServerUrl", server.serverUrl);
  return async () => {
    await server.stop();
    await rm(directory, { recursive: true, force: true });
  };
}
