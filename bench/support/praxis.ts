import { setTimeout as sleep } from "node:timers/promises";
import { type Person, type Requester, requester, signUpWith } from "../../test/support/client.ts";
import {
  killLaunched,
  type Praxis,
  startPraxis,
  startPraxisAt,
} from "../../test/support/process.ts";
import type { BenchDatabase } from "./database.ts";

export interface BenchPraxis {
  origin: string;
  /** Answers HTTP and only enqueues federation work. */
  web: Praxis;
  /** Takes federation work from the queues: inbox, fan-out, deliveries. */
  worker: Praxis;
  /** Every worker process, the first one included. */
  workers: Praxis[];
  /** Starts one more worker on the same database, as operators scale out (compose.yaml). */
  addWorker(): Promise<Praxis>;
  request: Requester;
  signUp(username: string): Promise<Person>;
  stop(): Promise<void>;
}

/** Praxis as operators run it: a web process and a worker process on one database. */
export async function startBenchPraxis(
  database: BenchDatabase,
  address: string,
  env: Record<string, string> = {},
): Promise<BenchPraxis> {
  const shared = {
    DATABASE_URL: database.url,
    DATA_DIR: database.directory,
    ALLOW_PRIVATE_ADDRESSES: "true",
    LOG_LEVEL: "error",
    ...env,
  };
  // BENCH_PROFILE=dir writes CPU profiles of both processes there, for chrome://inspect.
  const profile = process.env.BENCH_PROFILE;
  const profiling = profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [];
  const { origin, praxis: web } = await startPraxisAt(
    address,
    { ...shared, PRAXIS_ROLE: "web" },
    profiling,
  );
  const startWorker = () =>
    startPraxis({ ...shared, HOST: address, PUBLIC_URL: origin, PRAXIS_ROLE: "worker" }, profiling);
  const worker = await startWorker();
  const workers = [worker];
  const request = requester(origin, (req) => fetch(req));
  return {
    origin,
    web,
    worker,
    workers,
    async addWorker() {
      const added = await startWorker();
      workers.push(added);
      return added;
    },
    request,
    signUp: (username) => signUpWith(request, username),
    async stop() {
      // A gentle stop first, so that profiles are written.
      const all = [web, ...workers];
      for (const praxis of all) {
        if (praxis.running() && praxis.child.pid) process.kill(praxis.child.pid, "SIGTERM");
      }
      await Promise.race([Promise.all(all.map((praxis) => praxis.exited)), sleep(10_000)]);
      await killLaunched();
    },
  };
}

/** One Praxis process doing everything (role `all`), as `npm start` runs it. */
export async function startSinglePraxis(database: BenchDatabase, address: string) {
  const { origin, praxis } = await startPraxisAt(address, {
    DATABASE_URL: database.url,
    DATA_DIR: database.directory,
    LOG_LEVEL: "error",
  });
  return { origin, praxis, request: requester(origin, (req) => fetch(req)) };
}
