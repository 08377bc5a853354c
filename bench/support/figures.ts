import { readFile } from "node:fs/promises";

/** The value below which `share` (0–1) of the sorted values fall. */
export function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
}

export const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;
export const perSecond = (value: number) => `${Math.round(value).toLocaleString("en")}/s`;
export const ratio = (value: number) => `${(value * 100).toFixed(0)}%`;

/** Prints one benchmark's figures as aligned `name  value` lines under a heading. */
export function report(heading: string, figures: Record<string, string | number>): void {
  const width = Math.max(...Object.keys(figures).map((name) => name.length));
  console.log(`\n${heading}`);
  for (const [name, value] of Object.entries(figures)) {
    console.log(`  ${name.padEnd(width)}  ${value}`);
  }
}

const clockTicksPerSecond = 100;

/** CPU time (user + system) a process has used so far, from /proc. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
}

/** Resident memory of a process, in MB, from /proc. */
export async function residentMegabytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kilobytes / 1024;
}

/** How many times `work` completes in about `seconds`, one after another, per second. */
export async function rateOf(work: () => Promise<unknown> | unknown, seconds = 2): Promise<number> {
  for (let i = 0; i < 20; i++) await work();
  const started = performance.now();
  let done = 0;
  while (performance.now() - started < seconds * 1000) {
    await work();
    done += 1;
  }
  return done / ((performance.now() - started) / 1000);
}
