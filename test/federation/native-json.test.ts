import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** What JSON.stringify is in a process that loaded Fedify as the server does (not vitest's). */
const probe = `
  const engine = JSON.stringify;
  await import("@fedify/vocab-runtime/jsonld"); // jsonld as Fedify loads it
  const replaced = JSON.stringify !== engine;
  const { restoreNativeJson } = await import("./federation/node-compat.ts");
  restoreNativeJson();
  // The engine's own, from a fresh context: a function of another realm.
  const restored = !(JSON.stringify instanceof Function);
  console.log(JSON.stringify({ replaced, restored, sample: JSON.stringify([1, "b", new Date(0)]) }));
`;

describe("JSON.stringify in a server process", () => {
  it("is the engine's own again after restoreNativeJson, however Fedify's jsonld left it", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", probe],
      { cwd: root },
    );
    const seen = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
    // On Node 20 jsonld's bundled core-js replaces it; Node 21+ has JSON.rawJSON and keeps it.
    expect(seen.replaced).toBe(typeof (JSON as { rawJSON?: unknown }).rawJSON !== "function");
    expect(seen.restored).toBe(true);
    expect(seen.sample).toBe('[1,"b","1970-01-01T00:00:00.000Z"]');
  }, 60_000);
});
