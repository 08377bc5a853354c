/**
 * Resident memory of one Praxis process as `npm start` runs it (web and worker together):
 * idle after start, then after benchmark 3's mixed load (BENCH_SECONDS, default 60).
 * Prints figures; asserts nothing. Run: npm run bench:memory
 */
import { setTimeout as sleep } from "node:timers/promises";
import { killLaunched } from "../test/support/process.ts";
import { startBenchDatabase } from "./support/database.ts";
import { report, residentMegabytes } from "./support/figures.ts";
import { load } from "./support/load.ts";
import { startSinglePraxis } from "./support/praxis.ts";
import { mixedRequests, seedTraffic } from "./support/traffic.ts";

const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const address = "127.0.0.60";
const megabytes = (value: number) => `${value.toFixed(0)} MB`;

const database = await startBenchDatabase();
try {
  const { praxis, origin, request } = await startSinglePraxis(database, address);
  const pid = praxis.child.pid ?? 0;
  await sleep(10_000);
  const idle = await residentMegabytes(pid);
  const traffic = await seedTraffic(database, request);
  const figures = await load(origin, seconds, mixedRequests(traffic));
  const loaded = await residentMegabytes(pid);
  await sleep(10_000);
  report("Resident memory of one Praxis process (role all, as npm start runs it)", {
    "idle, 10 s after start": megabytes(idle),
    [`right after ${seconds} s of 200 clients (${Math.round(figures.requestsPerSecond)}/s)`]:
      megabytes(loaded),
    "10 s later": megabytes(await residentMegabytes(pid)),
  });
} finally {
  await killLaunched();
  await database.close();
}
