import { readFile, rm } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** How long a fast shutdown may take before PostgreSQL is told to stop at once. */
const fastShutdownMs = 30_000;

async function commandLine(pid: number): Promise<string[]> {
  const raw = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  return raw.split("\0").filter(Boolean);
}

/** The parent of `pid`, read from /proc/<pid>/stat, whose second field may hold spaces. */
async function parentOf(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  return Number.isInteger(parent) && parent > 0 ? parent : null;
}

/** Whether `pid` is a PostgreSQL server started on `directory` (`postgres -D directory`). */
async function isPostmasterOf(pid: number, directory: string): Promise<boolean> {
  const args = await commandLine(pid);
  const at = args.indexOf("-D");
  const dataDir = at >= 0 ? args[at + 1] : undefined;
  return (
    basename(args[0] ?? "") === "postgres" &&
    dataDir !== undefined &&
    resolve(dataDir) === resolve(directory)
  );
}

async function stopped(pid: number, directory: string, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!(await isPostmasterOf(pid, directory))) return true;
    await sleep(100);
  }
  return false;
}

/**
 * Makes `directory` free for a new PostgreSQL after the server that started the last one was
 * killed (`kill -9` gives it no time to stop its database):
 * - a postmaster.pid naming a process that is not a PostgreSQL on this directory (dead, or
 *   its number taken by another program since) is removed, else PostgreSQL refuses to start;
 * - a PostgreSQL still running on this directory, whose parent is gone, is shut down as
 *   `pg_ctl stop -m fast` does (SIGINT: it writes a checkpoint, nothing committed is lost).
 * One still run by a live Node process belongs to another Praxis, and is left alone.
 */
export async function recoverStalePostmaster(
  directory: string,
  log: (line: string) => void,
): Promise<void> {
  const lockFile = join(directory, "postmaster.pid");
  const contents = await readFile(lockFile, "utf8").catch(() => null);
  if (contents === null) return;
  const pid = Number(contents.split("\n", 1)[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !(await isPostmasterOf(pid, directory))) {
    log(`[recovery] removing ${lockFile}: no PostgreSQL of this folder runs as process ${pid}`);
    await rm(lockFile, { force: true });
    return;
  }
  const parent = await parentOf(pid);
  const parentCommand = parent === null ? [] : await commandLine(parent);
  if (basename(parentCommand[0] ?? "").startsWith("node")) {
    throw new Error(
      `${directory} is in use by the PostgreSQL (process ${pid}) of another running server ` +
        `(process ${parent}): stop that one first, or give this one another DATA_DIR.`,
    );
  }
  log(`[recovery] stopping the PostgreSQL (process ${pid}) that a killed server left running`);
  process.kill(pid, "SIGINT");
  if (await stopped(pid, directory, fastShutdownMs)) return;
  // Immediate shutdown: the next start replays the write-ahead log, as after a crash.
  process.kill(pid, "SIGQUIT");
  if (!(await stopped(pid, directory, fastShutdownMs)))
    throw new Error(`The PostgreSQL left running in ${directory} (process ${pid}) did not stop.`);
}
