import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../support/database.ts";
import { killLaunched, startPraxis } from "../support/process.ts";

afterAll(killLaunched);

describe("the engine's builtins in a server process", () => {
  it("are the engine's own JSON.stringify and Array.prototype.push, whatever Fedify's jsonld replaced", async () => {
    const database = await freshDatabase();
    const directory = await mkdtemp(join(tmpdir(), "praxis-engine-"));
    const out = join(directory, "probe.json");
    try {
      const praxis = await startPraxis(
        { DATABASE_URL: database.url, DATA_DIR: directory, ENGINE_PROBE_OUT: out },
        ["--import", "tsx", "--import", "./test/support/engine-probe.ts"],
      );
      praxis.child.kill("SIGTERM");
      expect(await praxis.exited).toEqual({ code: 0, signal: null });
      // On Node 20 jsonld's bundled core-js replaces both while Fedify loads.
      expect(JSON.parse(await readFile(out, "utf8"))).toEqual({ stringify: true, push: true });
    } finally {
      await database.close();
    }
  }, 60_000);
});
