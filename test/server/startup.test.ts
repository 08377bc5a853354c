import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterEach, describe, expect, inject, it } from "vitest";
import { postgresServersFor } from "../support/postgres-servers.ts";
import {
  describeOutput,
  killLaunched,
  launch,
  type Praxis,
  startPraxis,
  waitForExit,
} from "../support/process.ts";

const password = "a long enough password";

const directories = new Set<string>();
const databases = new Set<string>();

async function api(praxis: Praxis, method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`http://127.0.0.1:${praxis.port}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function dataDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "praxis-startup-"));
  directories.add(directory);
  return directory;
}

afterEach(async () => {
  await killLaunched();
  for (const directory of directories) {
    for (const pid of await postgresServersFor(join(directory, "postgres"))) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
    await rm(directory, { recursive: true, force: true });
  }
  directories.clear();
  if (databases.size > 0) {
    const admin = postgres(`${inject("databaseServerUrl")}/postgres`, {
      max: 1,
      onnotice: () => {},
    });
    for (const name of databases)
      await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
    databases.clear();
  }
});

async function stopsCleanlyAndKeepsData(signal: "SIGTERM" | "SIGINT", group = false) {
  const dataDir = await dataDirectory();
  const clusterDir = join(dataDir, "postgres");
  const first = await startPraxis({ DATA_DIR: dataDir });
  expect(existsSync(join(clusterDir, "PG_VERSION"))).toBe(true);
  expect(await postgresServersFor(clusterDir)).toHaveLength(1);

  const registered = await api(first, "POST", "/api/v1/accounts", {
    username: "persistent",
    email: "persistent@example.org",
    password,
  });
  expect(registered.status).toBe(201);

  process.kill((group ? -1 : 1) * (first.child.pid as number), signal);
  const exit = await waitForExit(first, 30_000);
  expect(exit, describeOutput(first)).toEqual({ code: 0, signal: null });
  expect(await postgresServersFor(clusterDir)).toEqual([]);
  expect(existsSync(join(clusterDir, "postmaster.pid"))).toBe(false);

  const second = await startPraxis({ DATA_DIR: dataDir });
  const session = await api(second, "POST", "/api/v1/sessions", { login: "persistent", password });
  expect(session.status).toBe(200);
  const me = await api(second, "GET", "/api/v1/me", undefined, session.body.token);
  expect(me.body.username).toBe("persistent");

  process.kill((group ? -1 : 1) * (second.child.pid as number), signal);
  expect(await waitForExit(second, 30_000)).toEqual({ code: 0, signal: null });
  expect(await postgresServersFor(clusterDir)).toEqual([]);
}

describe("running the server program", () => {
  it(
    "starts its own PostgreSQL in DATA_DIR, stops it on SIGTERM with exit code 0, and finds its data again",
    () => stopsCleanlyAndKeepsData("SIGTERM"),
    120_000,
  );

  it(
    "stops just as cleanly on SIGINT and keeps its data",
    () => stopsCleanlyAndKeepsData("SIGINT"),
    120_000,
  );

  it(
    "stops cleanly on Ctrl-C, which sends SIGINT to the whole process group",
    () => stopsCleanlyAndKeepsData("SIGINT", true),
    120_000,
  );

  it("refuses PORT=abc at once with a message naming PORT and the problem", async () => {
    const dataDir = await dataDirectory();
    const praxis = launch({ DATA_DIR: dataDir, PORT: "abc" });
    const exit = await waitForExit(praxis, 20_000);
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(praxis.stderr()).toMatch(/PORT/);
    expect(praxis.stderr()).toMatch(/abc/);
    expect(praxis.stderr()).toMatch(/whole number between 1 and 65535/);
    expect(praxis.stderr()).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dataDir, "postgres"))).toBe(false);
  }, 30_000);

  it("refuses PRAXIS_ROLE=nonsense at once with a message naming PRAXIS_ROLE and the choices", async () => {
    const dataDir = await dataDirectory();
    const praxis = launch({ DATA_DIR: dataDir, PRAXIS_ROLE: "nonsense" });
    const exit = await waitForExit(praxis, 20_000);
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(praxis.stderr()).toMatch(/PRAXIS_ROLE/);
    expect(praxis.stderr()).toMatch(/nonsense/);
    expect(praxis.stderr()).toMatch(/web, worker or all/);
    expect(praxis.stderr()).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dataDir, "postgres"))).toBe(false);
  }, 30_000);

  it("uses the database at DATABASE_URL, migrating it on start, without an embedded server", async () => {
    const serverUrl = inject("databaseServerUrl");
    const name = `startup_${randomBytes(6).toString("hex")}`;
    const admin = postgres(`${serverUrl}/postgres`, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    databases.add(name);

    const external = postgres(`${serverUrl}/${name}`, { max: 1, onnotice: () => {} });
    try {
      const [before] = await external<{ table: string | null }[]>`
        select to_regclass('public.accounts')::text as table`;
      expect(before?.table).toBeNull();

      const dataDir = await dataDirectory();
      const praxis = await startPraxis({ DATA_DIR: dataDir, DATABASE_URL: `${serverUrl}/${name}` });
      expect(existsSync(join(dataDir, "postgres"))).toBe(false);

      const [after] = await external<{ table: string | null }[]>`
        select to_regclass('public.accounts')::text as table`;
      expect(after?.table).toBe("accounts");
      const [migrations] = await external<{ count: number }[]>`
        select count(*)::int as count from drizzle.__drizzle_migrations`;
      expect(migrations?.count).toBeGreaterThan(0);

      const registered = await api(praxis, "POST", "/api/v1/accounts", {
        username: "external_db",
        email: "external@example.org",
        password,
      });
      expect(registered.status).toBe(201);
      const rows = await external<{ username: string }[]>`select username from accounts`;
      expect(rows.map((row) => row.username)).toEqual(["external_db"]);

      process.kill(praxis.child.pid as number, "SIGTERM");
      expect(await waitForExit(praxis, 30_000)).toEqual({ code: 0, signal: null });
      const [still] = await external<
        { count: number }[]
      >`select count(*)::int as count from accounts`;
      expect(still?.count).toBe(1);
    } finally {
      await external.end();
    }
  }, 90_000);
});
