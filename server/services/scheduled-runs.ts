import { Cron } from "croner";
import { eq } from "drizzle-orm";
import { scheduledRuns } from "../../db/schema/jobs.ts";
import type { Deps } from "../deps.ts";

/** When a job run by a cron pattern (read in UTC) last fell due, at or before `now`. */
function dueRuns(schedule: string, now: Date): { due: Date; before: Date } | null {
  // croner counts a run falling in the reference's own second: one millisecond on, a run due
  // exactly now is the last one due.
  const [due, before] = new Cron(schedule, { timezone: "UTC" }).previousRuns(
    2,
    new Date(now.getTime() + 1),
  );
  return due && before ? { due, before } : null;
}

/** When a job run by a cron pattern (read in UTC) falls due next, after `now`. */
export function nextRun(schedule: string, now: Date): Date | null {
  return new Cron(schedule, { timezone: "UTC" }).nextRun(now);
}

/**
 * Takes the run of `job` due at `now` by its cron pattern, if no one has: when it was due, and
 * the previous run (or, the first time, the previous due time), so the period it covers.
 * Inserting the row before locking it makes a second worker wait for the first one's answer
 * even on the very first run.
 */
export async function claimScheduledRun(
  deps: Deps,
  job: string,
  schedule: string,
  now: Date,
): Promise<{ since: Date; due: Date } | null> {
  const runs = dueRuns(schedule, now);
  if (!runs) return null;
  return deps.db.transaction(async (tx) => {
    await tx.insert(scheduledRuns).values({ job, lastRunAt: runs.before }).onConflictDoNothing();
    const [run] = await tx
      .select()
      .from(scheduledRuns)
      .where(eq(scheduledRuns.job, job))
      .for("update");
    if (!run || run.lastRunAt >= runs.due) return null;
    await tx.update(scheduledRuns).set({ lastRunAt: now }).where(eq(scheduledRuns.job, job));
    return { since: run.lastRunAt, due: runs.due };
  });
}
