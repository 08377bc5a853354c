import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accounts } from "../../db/schema/accounts.ts";
import { sessionsOfOnePage } from "../../server/api/session.ts";
import { loadConfig } from "../../server/config.ts";
import { createDeps, type Deps } from "../../server/deps.ts";
import { closeSession, openSession, resolveSession } from "../../server/services/sessions.ts";
import { freshDatabase } from "../support/database.ts";

describe("the sessions of one server-drawn page", () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let deps: Deps;

  beforeAll(async () => {
    database = await freshDatabase();
    const config = loadConfig({ DATA_DIR: await mkdtemp(join(tmpdir(), "praxis-page-")) });
    deps = createDeps(config, database.db);
  });

  afterAll(async () => {
    await database?.close();
  });

  it("finds a reader's session once for all of the page's API calls", async () => {
    const [account] = await database.db
      .insert(accounts)
      .values({ username: "amara" })
      .returning({ id: accounts.id });
    if (!account) throw new Error("no account");
    const { token } = await openSession(deps, account.id);
    const page = sessionsOfOnePage();
    const first = await page(deps, token);
    expect(first?.account.username).toBe("amara");

    // Closed after the page's first call, the session is still the one this page found:
    // the page's later calls did not look it up again. A new request does.
    await closeSession(deps, first?.id ?? "");
    expect(await page(deps, token)).toBe(first);
    expect(await resolveSession(deps, token)).toBeNull();
    expect(await sessionsOfOnePage()(deps, token)).toBeNull();
  });
});
