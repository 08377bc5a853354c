// Evaluated first, before anything loads Fedify: see engine-builtins.ts.
import "../federation/engine-builtins.ts";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { getLogger } from "@logtape/logtape";
import { openDatabase } from "../db/open.ts";
import { isDatabaseUnavailable } from "../db/unavailable.ts";
import { restoreEngineBuiltins } from "../federation/engine-builtins.ts";
import { createPraxisFederation } from "../federation/index.ts";
import { PostgresKvStore } from "../federation/kv.ts";
import { guardOutgoingRequests } from "../federation/outgoing-requests.ts";
import { praxisQueues, startFederationWorkers } from "../federation/workers.ts";
import { createApp, createHealthApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { createDeps } from "./deps.ts";
import { configureLogging } from "./logging.ts";
import { startScheduler } from "./scheduler.ts";
import { stopServing } from "./stop-serving.ts";

const logger = getLogger(["praxis", "main"]);
const sweepIntervalMs = 60 * 60 * 1000;
/** Longer than the keep-alive of the proxies and peers in front of us (see below). */
const keepAliveSeconds = 80;
/** How long requests under way may finish on stop: within the 10 s supervisors wait before SIGKILL. */
const stopGraceMs = 5_000;

/**
 * The last resort for a promise nobody awaited that failed. Node ends the process then, and
 * that is kept for every failure but one: a query refused because the database went away
 * must not stop the server (it answers 503 and waits). That one is logged as an error naming
 * it, which tests look for, so that the code that forgot to handle it is still found.
 */
function keepRunningThroughDatabaseOutages(): void {
  process.on("unhandledRejection", (reason) => {
    if (!isDatabaseUnavailable(reason)) throw reason;
    logger.error("Unhandled rejection while the database cannot be reached: {error}", {
      error: reason,
    });
  });
}

async function main(): Promise<void> {
  restoreEngineBuiltins();
  const config = loadConfig();
  await configureLogging(config.logLevel);
  keepRunningThroughDatabaseOutages();
  guardOutgoingRequests({
    timeoutMs: config.remoteTimeoutMs,
    allowPrivateAddresses: config.allowPrivateAddresses,
  });
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    log: (line) => logger.debug("postgres: {line}", { line: line.trim() }),
  });
  const { db, sql } = database.connection;
  const deps = createDeps(config, db);
  const kv = new PostgresKvStore(sql);
  const queues = praxisQueues(database.connection, config.queueHandlerTimeoutMs);
  const federation = createPraxisFederation(deps, kv, queues);

  // A worker serves only /healthz, so that process supervisors can probe it too.
  const app = config.role === "worker" ? createHealthApp(deps) : createApp(deps, federation);
  // Given no createServer of another kind, serve() makes a plain HTTP/1.1 server.
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
    logger.info("Praxis ({role}) listening on {host}:{port}, public URL {url}", {
      role: config.role,
      host: config.host,
      port: config.port,
      url: config.publicUrl.href,
    }),
  ) as Server;
  // Node closes an idle kept-alive connection after five seconds, and a client that sends on
  // it at that moment gets "other side closed" for a POST it cannot safely retry. Reverse
  // proxies and peers keep connections for about a minute (nginx 75 s, load balancers 60 s),
  // so the server keeps them a little longer and is never the one that closes first.
  server.keepAliveTimeout = keepAliveSeconds * 1000;
  server.headersTimeout = (keepAliveSeconds + 1) * 1000;
  const sweepExpired = () =>
    kv.sweep().catch((error: unknown) => {
      logger.warn("Could not sweep the expired federation entries: {error}", { error });
    });
  const sweeper = config.role === "web" ? undefined : setInterval(sweepExpired, sweepIntervalMs);
  const stopScheduler = config.role === "web" ? undefined : startScheduler(deps);
  const stopWorkers =
    config.role === "web" ? undefined : startFederationWorkers(federation, deps, queues);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("Stopping on {signal}", { signal });
    clearInterval(sweeper);
    stopScheduler?.();
    await stopServing(server, stopGraceMs);
    await stopWorkers?.();
    await database.close();
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => void stop(signal));
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error("Praxis could not start:", error);
  }
  process.exit(1);
});
