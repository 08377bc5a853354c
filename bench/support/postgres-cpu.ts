import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { BenchDatabase } from "./database.ts";
import { cpuSeconds } from "./figures.ts";

/** The parent of a process, from /proc; null once it is gone. */
async function parentOf(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  return stat ? Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) : null;
}

/**
 * CPU time the benchmark's PostgreSQL has used so far: its postmaster and every backend and
 * helper it started that is still running (the pools keep their connections for the run).
 */
export async function postgresCpuSeconds(database: BenchDatabase): Promise<number> {
  const pidFile = await readFile(join(database.directory, "postgres", "postmaster.pid"), "utf8");
  const postmaster = Number(pidFile.split("\n")[0]);
  let total = await cpuSeconds(postmaster);
  for (const entry of await readdir("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || (await parentOf(pid)) !== postmaster) continue;
    total += await cpuSeconds(pid).catch(() => 0);
  }
  return total;
}
