import { readdir, readFile } from "node:fs/promises";

/** Process ids of PostgreSQL servers started with `-D directory`, read from /proc. */
export async function postgresServersFor(directory: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    const args = cmdline.split("\0");
    const at = args.indexOf("-D");
    if (at >= 0 && args[at + 1] === directory && args[0]?.endsWith("postgres")) {
      pids.push(Number(entry));
    }
  }
  return pids;
}
