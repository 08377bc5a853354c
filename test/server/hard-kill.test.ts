import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../db/embedded.ts";
import { type Requester, requester, signUpWith, testPassword } from "../support/client.ts";
import { postgresServersFor } from "../support/postgres-servers.ts";
import {
  describeOutput,
  killLaunched,
  launch,
  type Praxis,
  startPraxisAt,
  waitForExit,
} from "../support/process.ts";

const directories = new Set<string>();
const squatters = new Set<ChildProcess>();

afterEach(async () => {
  await killLaunched();
  for (const squatter of squatters) squatter.kill("SIGKILL");
  squatters.clear();
  for (const directory of directories) {
    for (const pid of await postgresServersFor(join(directory, "postgres"))) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
    await rm(directory, { recursive: true, force: true });
  }
  directories.clear();
});

/** `npm start` on a fresh DATA_DIR with no DATABASE_URL: its own embedded PostgreSQL. */
async function startFresh(address: string) {
  const dataDir = await mkdtemp(join(tmpdir(), "praxis-hard-kill-"));
  directories.add(dataDir);
  const started = await startPraxisAt(address, { DATA_DIR: dataDir });
  return { dataDir, clusterDir: join(dataDir, "postgres"), ...started };
}

/** An account and a community, written through the API before the kill. */
async function writeSomething(request: Requester) {
  const owner = await signUpWith(request, "survivor");
  const created = await request("POST", "/api/v1/communities", {
    token: owner.token,
    body: { slug: "still-here", name: "Still here", privacy: "open" },
  });
  expect(created.status).toBe(201);
}

async function expectWrittenData(request: Requester) {
  const session = await request("POST", "/api/v1/sessions", {
    body: { login: "survivor", password: testPassword },
  });
  expect(session.status).toBe(200);
  const community = await request("GET", "/api/v1/communities/still-here");
  expect(community.status).toBe(200);
  expect(community.body.name).toBe("Still here");
}

async function killHard(praxis: Praxis) {
  process.kill(praxis.child.pid as number, "SIGKILL");
  expect(await waitForExit(praxis, 10_000)).toEqual({ code: null, signal: "SIGKILL" });
}

async function stopCleanly(praxis: Praxis, clusterDir: string) {
  process.kill(praxis.child.pid as number, "SIGTERM");
  expect(await waitForExit(praxis, 30_000), describeOutput(praxis)).toEqual({
    code: 0,
    signal: null,
  });
  expect(await postgresServersFor(clusterDir)).toEqual([]);
}

describe("npm start after kill -9", () => {
  it("stops the PostgreSQL a killed server left running, starts its own and finds the data", async () => {
    const { dataDir, clusterDir, origin, praxis } = await startFresh("127.0.2.10");
    await writeSomething(requester(origin, fetch));
    const [orphan] = await postgresServersFor(clusterDir);
    await killHard(praxis);
    // Its PostgreSQL outlives it, holding the folder.
    expect(await postgresServersFor(clusterDir)).toEqual([orphan]);

    const again = await startPraxisAt("127.0.2.10", { DATA_DIR: dataDir });
    const servers = await postgresServersFor(clusterDir);
    expect(servers).toHaveLength(1);
    expect(servers).not.toContain(orphan);
    await expectWrittenData(requester(again.origin, fetch));
    await stopCleanly(again.praxis, clusterDir);
  }, 120_000);

  it("starts again when its PostgreSQL was killed with it, and finds the data", async () => {
    const { dataDir, clusterDir, origin, praxis } = await startFresh("127.0.2.11");
    await writeSomething(requester(origin, fetch));
    const [postmaster] = await postgresServersFor(clusterDir);
    process.kill(postmaster as number, "SIGKILL");
    await killHard(praxis);
    // The lock file stays behind, naming a process that is gone.
    expect(existsSync(join(clusterDir, "postmaster.pid"))).toBe(true);

    const again = await startPraxisAt("127.0.2.11", { DATA_DIR: dataDir });
    await expectWrittenData(requester(again.origin, fetch));
    await stopCleanly(again.praxis, clusterDir);
  }, 120_000);

  it("starts again when the dead PostgreSQL's process number now belongs to another program of its user", async () => {
    const { dataDir, clusterDir, origin, praxis } = await startFresh("127.0.2.12");
    await writeSomething(requester(origin, fetch));
    const [postmaster] = await postgresServersFor(clusterDir);
    process.kill(postmaster as number, "SIGKILL");
    await killHard(praxis);
    // A program of PostgreSQL's own user takes the number: PostgreSQL cannot tell it is not
    // its old self, and refuses the folder.
    const { uid, gid } = await stat(clusterDir);
    const squatter = spawn("sleep", ["120"], { uid, gid, stdio: "ignore" });
    squatters.add(squatter);
    const lockFile = join(clusterDir, "postmaster.pid");
    const [, ...rest] = (await readFile(lockFile, "utf8")).split("\n");
    await writeFile(lockFile, [String(squatter.pid), ...rest].join("\n"));

    const again = await startPraxisAt("127.0.2.12", { DATA_DIR: dataDir });
    await expectWrittenData(requester(again.origin, fetch));
    await stopCleanly(again.praxis, clusterDir);
  }, 120_000);

  it("leaves a PostgreSQL of a running server alone, and says why it cannot start", async () => {
    const { dataDir, clusterDir, origin } = await startFresh("127.0.2.13");
    const running = await postgresServersFor(clusterDir);
    const port = await freePort("127.0.2.13");
    const second = launch({ DATA_DIR: dataDir, HOST: "127.0.2.13", PORT: String(port) });
    const exit = await waitForExit(second, 30_000);
    expect(exit.code).toBe(1);
    expect(second.stderr()).toMatch(/in use by the PostgreSQL .* of another running server/);
    expect(await postgresServersFor(clusterDir)).toEqual(running);
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
  }, 120_000);
});
